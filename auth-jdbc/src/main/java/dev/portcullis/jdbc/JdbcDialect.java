package dev.portcullis.jdbc;

import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The databases auth-jdbc speaks to. Each has its own DDL file under
 * {@code dev/portcullis/jdbc/schema/<directory>/}. What else differs between them (how a row is
 * taken exactly once, how a row is inserted or updated in one step, how the migrator locks out
 * other nodes) lives here, in each constant, so that the stores and {@link JdbcSchema} hold no
 * checks for a particular database.
 */
public enum JdbcDialect {

    /** H2 2.x, in any compatibility mode. */
    H2("h2", '"', "VARCHAR(64)") {
        /**
         * One {@code SELECT ... FROM FINAL TABLE (MERGE INTO ... USING ...)}. A call that loses
         * the race to insert a new key fails on the primary key as a whole, and runs again.
         */
        @Override
        <T> T upsert(Jdbc db, String operation, Upsert upsert, Jdbc.Row<T> row) {
            String table = upsert.table();
            String sql = "SELECT " + upsert.returning() + " FROM FINAL TABLE (MERGE INTO " + table
                    + " USING (VALUES (" + upsert.placeholders() + ")) AS n (" + upsert.columnList() + ")"
                    + " ON " + table + "." + upsert.key() + " = n." + upsert.key()
                    + " WHEN MATCHED THEN UPDATE SET " + upsert.assignmentList()
                    + " WHEN NOT MATCHED THEN INSERT (" + upsert.columnList() + ") VALUES ("
                    + String.join(", ", upsert.columns().stream().map(column -> "n." + column).toList()) + "))";
            return db.runRetryingRaces(operation, c -> single(db.query(c, sql, row, upsert.params()), sql));
        }

        /** One {@code SELECT ... FROM FINAL TABLE (MERGE INTO ... USING (VALUES (..), (..)) ...)}; retried as {@link #upsert}. */
        @Override
        <T> List<T> upsertRows(Jdbc db, String operation, UpsertRows upsert, Jdbc.Row<T> row) {
            String table = upsert.table();
            String sql = "SELECT " + upsert.returning() + " FROM FINAL TABLE (MERGE INTO " + table
                    + " USING (VALUES " + upsert.valueGroups() + ") AS n (" + upsert.columnList() + ")"
                    + " ON " + table + "." + upsert.key() + " = n." + upsert.key()
                    + " WHEN MATCHED THEN UPDATE SET " + upsert.assignmentList()
                    + " WHEN NOT MATCHED THEN INSERT (" + upsert.columnList() + ") VALUES ("
                    + String.join(", ", upsert.columns().stream().map(column -> "n." + column).toList()) + "))";
            return db.runRetryingRaces(operation, c -> all(db.query(c, sql, row, upsert.params()), upsert, sql));
        }

        /** H2 has no advisory lock: every DDL statement is {@code IF NOT EXISTS}, and a node that loses a race runs again. */
        @Override
        <T> T migrateExclusively(Jdbc db, String operation, String lockName, Jdbc.Work<T> migration) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return db.run(operation, migration);
                } catch (StoreException e) {
                    // Another node created the same table or history row between our check and our statement.
                    if (attempt == H2_MIGRATION_ATTEMPTS || !(e.getCause() instanceof SQLException)) {
                        throw e;
                    }
                }
            }
        }
    },
    /** PostgreSQL 11 or later. */
    POSTGRESQL("postgresql", '"', "VARCHAR(64)") {
        /** One {@code INSERT ... ON CONFLICT (key) DO UPDATE ... RETURNING}, atomic also against racing inserts. */
        @Override
        <T> T upsert(Jdbc db, String operation, Upsert upsert, Jdbc.Row<T> row) {
            String sql = "INSERT INTO " + upsert.table() + " (" + upsert.columnList() + ") VALUES (" + upsert.placeholders()
                    + ") ON CONFLICT (" + upsert.key() + ") DO UPDATE SET " + upsert.assignmentList()
                    + " RETURNING " + upsert.returning();
            return db.run(operation, c -> single(db.query(c, sql, row, upsert.params()), sql));
        }

        /** One {@code INSERT ... VALUES (..), (..) ON CONFLICT (key) DO UPDATE ... RETURNING}. */
        @Override
        <T> List<T> upsertRows(Jdbc db, String operation, UpsertRows upsert, Jdbc.Row<T> row) {
            String sql = "INSERT INTO " + upsert.table() + " (" + upsert.columnList() + ") VALUES " + upsert.valueGroups()
                    + " ON CONFLICT (" + upsert.key() + ") DO UPDATE SET " + upsert.assignmentList()
                    + " RETURNING " + upsert.returning();
            return db.run(operation, c -> all(db.query(c, sql, row, upsert.params()), upsert, sql));
        }

        /** One {@code DELETE ... RETURNING}: the row lock lets exactly one of racing deletes return the row. */
        @Override
        <T> Optional<T> deleteOne(Jdbc db, String operation, String table, String columns, String where, Jdbc.Row<T> row,
                Object... params) {
            return db.run(operation, c -> first(db.query(c, "DELETE FROM " + table + " WHERE " + where
                    + " RETURNING " + columns, row, params)));
        }

        /** Under {@code pg_advisory_lock}, keyed by the name's hash, held by the migrating connection. */
        @Override
        <T> T migrateExclusively(Jdbc db, String operation, String lockName, Jdbc.Work<T> migration) {
            long key = lockName.hashCode();
            return db.run(operation, c -> {
                query(c, "SELECT pg_advisory_lock(?)", key);
                try {
                    return migration.run(c);
                } finally {
                    query(c, "SELECT pg_advisory_unlock(?)", key);
                }
            });
        }

        @Override
        boolean transactionalDdl() {
            return true;
        }
    },
    /** MariaDB 10.5 or later, and MySQL 8 (InnoDB). */
    MARIADB("mariadb", '`', "CHAR(64)") {
        /**
         * {@code INSERT ... ON DUPLICATE KEY UPDATE}, then a {@code SELECT} of the row, in one
         * transaction: the first statement leaves the row locked, so the second reads exactly what
         * it wrote. (MariaDB 10.5 could add {@code RETURNING} to the first; MySQL 8 cannot.)
         */
        @Override
        <T> T upsert(Jdbc db, String operation, Upsert upsert, Jdbc.Row<T> row) {
            String sql = "INSERT INTO " + upsert.table() + " (" + upsert.columnList() + ") VALUES (" + upsert.placeholders()
                    + ") ON DUPLICATE KEY UPDATE " + upsert.assignmentList();
            String read = "SELECT " + upsert.returning() + " FROM " + upsert.table() + " WHERE " + upsert.key() + " = ?";
            return db.transaction(operation, c -> {
                db.update(c, sql, upsert.params());
                return single(db.query(c, read, row, upsert.keyValue()), read);
            });
        }

        /**
         * {@code INSERT ... VALUES (..), (..) ON DUPLICATE KEY UPDATE}, then one {@code SELECT ...
         * WHERE key IN (..)}, in one transaction: two statements for any number of rows.
         */
        @Override
        <T> List<T> upsertRows(Jdbc db, String operation, UpsertRows upsert, Jdbc.Row<T> row) {
            String sql = "INSERT INTO " + upsert.table() + " (" + upsert.columnList() + ") VALUES " + upsert.valueGroups()
                    + " ON DUPLICATE KEY UPDATE " + upsert.assignmentList();
            String read = "SELECT " + upsert.returning() + " FROM " + upsert.table() + " WHERE " + upsert.key() + " IN ("
                    + upsert.keyPlaceholders() + ")";
            return db.transaction(operation, c -> {
                db.update(c, sql, upsert.params());
                return all(db.query(c, read, row, upsert.keyValues()), upsert, read);
            });
        }

        /** Under {@code GET_LOCK} on the name, waiting at most 60 s for another node's migration. */
        @Override
        <T> T migrateExclusively(Jdbc db, String operation, String lockName, Jdbc.Work<T> migration) {
            return db.run(operation, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 60)")) {
                    ps.setString(1, lockName);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || rs.getInt(1) != 1) {
                            throw new SQLException("timed out after 60 s waiting for lock " + lockName
                                    + " held by another node's migration");
                        }
                    }
                }
                try {
                    return migration.run(c);
                } finally {
                    query(c, "SELECT RELEASE_LOCK(?)", lockName);
                }
            });
        }
    };

    /**
     * Each version's statements can collide with another node's (a table or column created, a
     * history row recorded between our check and our statement), so a node may lose several times
     * per version: generous, since every retry starts from the recorded version and does less.
     */
    private static final int H2_MIGRATION_ATTEMPTS = 20;

    /** The description part of each version's file name, by version (Flyway's {@code V<n>__<name>.sql}). */
    // null: a version this release does not ship (4 is auth-oidc's, added by its own change).
    private static final String[] SCRIPT_NAMES = {"", "portcullis", "portcullis_tokens",
            "portcullis_second_factors", "portcullis_identities", "portcullis_passkeys"};

    private final String directory;
    private final char quote;
    private final String textType;

    JdbcDialect(String directory, char quote, String textType) {
        this.directory = directory;
        this.quote = quote;
        this.textType = textType;
    }

    /**
     * The dialect of the database behind {@code dataSource}, from
     * {@link java.sql.DatabaseMetaData#getDatabaseProductName()}. Opens (and closes) one connection.
     *
     * @throws StoreException if no connection can be had
     * @throws IllegalArgumentException if the database is none of the supported ones
     */
    public static JdbcDialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return fromProductName(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new StoreException("JdbcDialect.detect failed: " + Jdbc.describe(e), e);
        }
    }

    /**
     * The dialect for a JDBC product name ("H2", "PostgreSQL", "MariaDB", "MySQL").
     *
     * @throws IllegalArgumentException if the product is not supported
     */
    public static JdbcDialect fromProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.startsWith("h2")) {
            return H2;
        }
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("unsupported database \"" + productName
                + "\": auth-jdbc supports H2, PostgreSQL and MariaDB/MySQL");
    }

    /**
     * Class-path location of the DDL for schema {@code version}: {@code V1__portcullis.sql} (users,
     * roles, sessions, attempts) and {@code V2__portcullis_tokens.sql} (the token tables) under
     * {@code dev/portcullis/jdbc/schema/<directory>/}, e.g.
     * {@code dev/portcullis/jdbc/schema/h2/V2__portcullis_tokens.sql}.
     *
     * @throws IllegalArgumentException unless {@code version} is 1 to {@link JdbcSchema#LATEST_VERSION}
     */
    public String schemaResource(int version) {
        if (version < 1 || version >= SCRIPT_NAMES.length || SCRIPT_NAMES[version] == null) {
            throw new IllegalArgumentException("version must be one of " + JdbcSchema.VERSIONS + ", was " + version);
        }
        return "dev/portcullis/jdbc/schema/" + directory + "/V" + version + "__" + SCRIPT_NAMES[version] + ".sql";
    }

    /** {@code identifier} as a quoted identifier of this dialect; the caller has validated it. */
    String quote(String identifier) {
        return quote + identifier + quote;
    }

    /**
     * The DDL that makes {@code column} of {@code table} (both quoted already) a
     * {@code VARCHAR(width)}, keeping it {@code NOT NULL} when {@code notNull}: what the hash-column
     * check tells an operator to run.
     */
    String widenToVarchar(String table, String column, int width, boolean notNull) {
        String type = "VARCHAR(" + width + ")";
        return switch (this) {
            case H2 -> "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE " + type;
            case POSTGRESQL -> "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + type;
            case MARIADB -> "ALTER TABLE " + table + " MODIFY " + column + " " + type + (notNull ? " NOT NULL" : "");
        };
    }

    /** SQL turning an integer column into text comparable with the {@code VARCHAR} user ids. */
    String castToText(String expression) {
        return "CAST(" + expression + " AS " + textType + ")";
    }

    /**
     * Deletes the one row of {@code table} matching {@code where} (with {@code params}) and returns
     * its {@code columns}, read by {@code row}; empty when there is none. Of any number of racing
     * callers, also on other nodes, exactly one gets the row. By default the row is read and then
     * deleted in one transaction, and returned only when this caller's {@code DELETE} removed it
     * (the others wait on the row lock, then delete nothing).
     */
    <T> Optional<T> deleteOne(Jdbc db, String operation, String table, String columns, String where, Jdbc.Row<T> row,
            Object... params) {
        return db.transaction(operation, c -> {
            Optional<T> found = first(db.query(c, "SELECT " + columns + " FROM " + table + " WHERE " + where, row, params));
            if (found.isEmpty()) {
                return found;
            }
            return db.update(c, "DELETE FROM " + table + " WHERE " + where, params) == 1 ? found : Optional.empty();
        });
    }

    /**
     * Runs {@code upsert} and returns the row as it is afterwards, read by {@code row}. Atomic,
     * also across nodes: racing calls on one key are applied one after the other (the row lock
     * orders them), and each returns the row as its own change left it.
     */
    abstract <T> T upsert(Jdbc db, String operation, Upsert upsert, Jdbc.Row<T> row);

    /**
     * Runs the upserts of several rows, in as few statements as the database allows (one on H2 and
     * PostgreSQL, two in a transaction on MariaDB/MySQL), and returns every row as it is afterwards.
     * Each row is as atomic as one {@link #upsert}.
     */
    abstract <T> List<T> upsertRows(Jdbc db, String operation, UpsertRows upsert, Jdbc.Row<T> row);

    private static <T> List<T> all(List<T> rows, UpsertRows upsert, String sql) throws SQLException {
        if (rows.size() != upsert.rows().size()) {
            throw new SQLException("expected " + upsert.rows().size() + " rows from: " + sql + ", got " + rows.size());
        }
        return rows;
    }

    /**
     * Runs {@code migration} on one connection so that nodes migrating the same schema (named by
     * {@code lockName}) at once do not get in each other's way.
     */
    abstract <T> T migrateExclusively(Jdbc db, String operation, String lockName, Jdbc.Work<T> migration);

    /** Whether DDL takes part in transactions, so a schema version can be installed all or nothing. */
    boolean transactionalDdl() {
        return false;
    }

    private static <T> T single(List<T> rows, String sql) throws SQLException {
        if (rows.size() != 1) {
            throw new SQLException(rows.size() + " rows where one was expected, from: " + sql);
        }
        return rows.get(0);
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.stream().findFirst();
    }

    /** Runs a lock function, ignoring its result. */
    private static void query(Connection c, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            ps.executeQuery().close();
        }
    }
}
