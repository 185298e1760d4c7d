/** Portcullis stores over any {@code javax.sql.DataSource}, with the schema and its migrator. */
module dev.portcullis.jdbc {
    requires transitive dev.portcullis.core;
    requires transitive java.sql;
    // Only PostgresRevocationBus needs pgjdbc; an application on another database does without it.
    requires static org.postgresql.jdbc;

    exports dev.portcullis.jdbc;
}
