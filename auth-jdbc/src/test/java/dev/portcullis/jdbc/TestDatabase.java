package dev.portcullis.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.testkit.ExternalService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One database for one test class: a HikariCP pool, a table prefix unique to this run (so runs
 * and classes never collide on a shared server), the schema installed, cleaning between tests
 * and dropping at the end.
 */
final class TestDatabase implements AutoCloseable {

    /** Every table of the latest schema, children before the tables their foreign keys refer to. */
    static final List<String> TABLES = List.of("users", "user_roles", "user_state", "locks", "sessions", "attempts",
            "remember_me", "one_time_tokens", "refresh_tokens", "api_key_scopes", "api_keys", "token_epochs",
            "totp_enrolments", "recovery_codes", "pending_sign_ins", "identities", "passkeys", "passkey_challenges", "schema_history");

    private final JdbcDialect dialect;
    private final HikariDataSource dataSource;
    private final JdbcOptions options;
    /** The server URL and the schema (PostgreSQL) or database (MariaDB) made for this run; null when shared. */
    private final String serverUrl;
    private final String namespace;

    private TestDatabase(JdbcDialect dialect, String url) {
        this(dialect, url, null, null);
    }

    private TestDatabase(JdbcDialect dialect, String url, String namespace, String connectionInitSql) {
        this.dialect = dialect;
        this.serverUrl = url;
        this.namespace = namespace;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(25);
        config.setConnectionTimeout(5_000);
        config.setPoolName("test-" + dialect);
        if (dialect == JdbcDialect.H2) {
            // An in-memory database of its own already.
        } else if (namespace != null && dialect == JdbcDialect.POSTGRESQL) {
            config.setSchema(namespace);
        } else if (namespace != null) {
            config.setCatalog(namespace);
        }
        if (connectionInitSql != null) {
            config.setConnectionInitSql(connectionInitSql);
        }
        this.dataSource = new HikariDataSource(config);
        this.options = JdbcOptions.builder().tablePrefix(uniquePrefix()).build();
    }

    /**
     * A database of its own, so that a test may create tables with the plain names an application
     * uses ({@code user}): a fresh in-memory H2, a new PostgreSQL schema or MariaDB database,
     * dropped by {@link #close()}. {@code connectionInitSql} (may be null) runs on every new
     * connection, e.g. {@code SET SESSION sql_mode=''}.
     */
    static TestDatabase isolated(JdbcDialect dialect, String connectionInitSql) {
        if (dialect == JdbcDialect.H2) {
            return new TestDatabase(dialect, "jdbc:h2:mem:" + uniquePrefix() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
                    "", connectionInitSql);
        }
        String url = withTimeouts(dialect == JdbcDialect.POSTGRESQL ? ExternalService.postgresUrl()
                : ExternalService.mariaDbUrl());
        String namespace = uniquePrefix() + "seed";
        onServer(url, dialect == JdbcDialect.POSTGRESQL ? "CREATE SCHEMA " + namespace : "CREATE DATABASE " + namespace
                + " CHARACTER SET utf8mb4");
        return new TestDatabase(dialect, url, namespace, connectionInitSql);
    }

    private static void onServer(String url, String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static TestDatabase h2() {
        return new TestDatabase(JdbcDialect.H2,
                "jdbc:h2:mem:" + uniquePrefix() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    }

    static TestDatabase postgres() {
        return new TestDatabase(JdbcDialect.POSTGRESQL, withTimeouts(ExternalService.postgresUrl()));
    }

    static TestDatabase mariaDb() {
        return new TestDatabase(JdbcDialect.MARIADB, withTimeouts(ExternalService.mariaDbUrl()));
    }

    static TestDatabase of(JdbcDialect dialect) {
        return switch (dialect) {
            case H2 -> h2();
            case POSTGRESQL -> postgres();
            case MARIADB -> mariaDb();
        };
    }

    /** Fail fast: both drivers take connectTimeout (s for PostgreSQL, ms for MariaDB) and socketTimeout. */
    private static String withTimeouts(String url) {
        String separator = url.contains("?") ? "&" : "?";
        return url.startsWith("jdbc:postgresql:")
                ? url + separator + "connectTimeout=5&socketTimeout=30"
                : url + separator + "connectTimeout=5000&socketTimeout=30000";
    }

    static String uniquePrefix() {
        return "pt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    }

    TestDatabase migrate() {
        new JdbcSchema(dataSource, options).migrate();
        return this;
    }

    JdbcDialect dialect() {
        return dialect;
    }

    DataSource dataSource() {
        return dataSource;
    }

    JdbcOptions options() {
        return options;
    }

    void execute(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Forces the interleaving that racing callers only sometimes produce: runs {@code lockingSql}
     * (one row changed) in a transaction left open, starts {@code call} on another thread, waits
     * until the database reports that call's statement on {@code table} waiting for the row lock,
     * then commits and returns what the call returned. Fails when the call finishes without
     * waiting, because then the test would prove nothing.
     */
    <T> T callBlockedByACommit(String lockingSql, List<Object> params, String table, Callable<T> call) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(lockingSql)) {
                    for (int i = 0; i < params.size(); i++) {
                        ps.setObject(i + 1, params.get(i));
                    }
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("the locking statement changed no row: " + lockingSql);
                    }
                }
                Future<T> result = thread.submit(call);
                awaitLockWait(table, result);
                c.commit();
                return result.get(30, TimeUnit.SECONDS);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } finally {
            thread.shutdownNow();
        }
    }

    /** Polls (no sleeping) until a statement mentioning {@code table} waits for a row lock; at most 30 s. */
    private void awaitLockWait(String table, Future<?> call) throws SQLException {
        String sql = switch (dialect) {
            case H2 -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                    + " AND UPPER(EXECUTING_STATEMENT) LIKE UPPER(?)";
            case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?";
            // INNODB_TRX would say LOCK WAIT, but InnoDB refreshes it only after 100 ms without reads,
            // which a poll without pauses never allows. A statement of the call still running while
            // the test holds the lock is as good: it waits, or its transaction has read already.
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                    + " AND COMMAND = 'Query' AND INFO LIKE ?";
        };
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "%" + table + "%");
            while (System.nanoTime() < deadline) {
                if (call.isDone()) {
                    throw new AssertionError("the call finished without waiting for the row lock on " + table);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no statement on " + table + " waited for the row lock within 30 s");
    }

    /** Empties the tables that tests write, keeping the schema. */
    void clean() {
        execute(TABLES.stream().filter(t -> !t.equals("schema_history") && !t.equals("locks"))
                .map(t -> "DELETE FROM " + options.table(t)).toArray(String[]::new));
    }

    /** Drops this run's tables (and {@code extra} tables the test created) and closes the pool. */
    void dropAnd(String... extra) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : extra) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
            for (String table : TABLES) {
                s.execute("DROP TABLE IF EXISTS " + options.table(table));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            dataSource.close();
        }
    }

    @Override
    public void close() {
        if (namespace == null) {
            dropAnd();
            return;
        }
        if (dialect == JdbcDialect.H2) {
            execute("DROP ALL OBJECTS");
            dataSource.close();
            return;
        }
        dataSource.close();
        onServer(serverUrl, dialect == JdbcDialect.POSTGRESQL ? "DROP SCHEMA " + namespace + " CASCADE"
                : "DROP DATABASE " + namespace);
    }
}
