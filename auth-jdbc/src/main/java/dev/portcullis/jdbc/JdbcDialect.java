package dev.portcullis.jdbc;

import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The databases auth-jdbc speaks to. Each has its own DDL file under
 * {@code dev/portcullis/jdbc/schema/<directory>/} and its own way to lock and upsert.
 */
public enum JdbcDialect {

    /** H2 2.x, in any compatibility mode. */
    H2("h2", '"'),
    /** PostgreSQL 11 or later. */
    POSTGRESQL("postgresql", '"'),
    /** MariaDB 10.5 or later, and MySQL 8 (InnoDB). */
    MARIADB("mariadb", '`');

    /** The description part of each version's file name, by version (Flyway's {@code V<n>__<name>.sql}). */
    private static final String[] SCRIPT_NAMES = {"", "portcullis", "portcullis_tokens"};

    private final String directory;
    private final char quote;

    JdbcDialect(String directory, char quote) {
        this.directory = directory;
        this.quote = quote;
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
        if (version < 1 || version >= SCRIPT_NAMES.length) {
            throw new IllegalArgumentException("version must be 1 to " + (SCRIPT_NAMES.length - 1));
        }
        return "dev/portcullis/jdbc/schema/" + directory + "/V" + version + "__" + SCRIPT_NAMES[version] + ".sql";
    }

    /** {@code identifier} as a quoted identifier of this dialect; the caller has validated it. */
    String quote(String identifier) {
        return quote + identifier + quote;
    }

    /** SQL turning an integer column into text comparable with the {@code VARCHAR} user ids. */
    String castToText(String expression) {
        return this == MARIADB ? "CAST(" + expression + " AS CHAR(64))" : "CAST(" + expression + " AS VARCHAR(64))";
    }
}
