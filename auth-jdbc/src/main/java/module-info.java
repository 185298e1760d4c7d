/** Portcullis stores over any {@code javax.sql.DataSource}, with the schema and its migrator. */
module dev.portcullis.jdbc {
    requires transitive dev.portcullis.core;
    requires transitive java.sql;

    exports dev.portcullis.jdbc;
}
