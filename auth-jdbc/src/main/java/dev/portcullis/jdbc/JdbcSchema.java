package dev.portcullis.jdbc;

import dev.portcullis.spi.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates or upgrades the auth-jdbc tables and records the installed version in
 * {@code <prefix>schema_history}.
 *
 * <p>{@link #migrate()} is idempotent and safe when several nodes start at once: on PostgreSQL it
 * holds {@code pg_advisory_lock}, on MariaDB/MySQL {@code GET_LOCK}, for the prefix; on H2 every
 * statement is {@code IF NOT EXISTS} and a node that loses a race retries. Calling it is optional:
 * teams with their own migration tool (Flyway, Liquibase) run the shipped files instead —
 * {@code dev/portcullis/jdbc/schema/{h2,postgresql,mariadb}/V1__portcullis.sql},
 * {@code V2__portcullis_tokens.sql}, {@code V3__portcullis_second_factors.sql},
 * {@code V4__portcullis_identities.sql} and {@code V5__portcullis_passkeys.sql} in the auth-jdbc jar, see {@link JdbcDialect#schemaResource(int)}
 * — replacing {@code portcullis_} when they use another prefix
 * ({@link #script(JdbcDialect, int, String)} does that).
 *
 * <p>Version 1 holds users, roles, sessions and attempts; version 2 adds the token tables
 * (remember-me, one-time, refresh, API keys and their scopes, token epochs); version 3 the second
 * factors (TOTP enrolments, recovery codes, pending sign-ins) and two nullable columns of the
 * sessions table (when the password and the second factor were last proved); version 4 the external
 * identities (OpenID Connect); version 5 passkeys and their challenges. {@link #VERSIONS} lists what
 * this release ships. A database left at
 * an older version by an earlier release is upgraded by running only the shipped versions its
 * history lacks (a lower number shipped later included), each
 * recorded when done; running {@code migrate()} again then changes nothing.
 *
 * <p>Thread-safe. Fails with {@link StoreException} when the database does.
 */
public final class JdbcSchema {

    /** The schema version this release of auth-jdbc needs. */
    public static final int LATEST_VERSION = 5;

    /**
     * The versions this release ships, in order. {@link #migrate()} runs every shipped version that a
     * database's history lacks, so a release may ship a lower number later (the numbering may have gaps).
     */
    public static final List<Integer> VERSIONS = List.of(1, 2, 3, 4, 5);

    private static final String[] DESCRIPTIONS = {"", "users, roles, sessions, attempts",
            "remember-me, one-time, refresh tokens, API keys, token epochs",
            "second factors, pending sign-ins, session proofs", "external identities", "passkeys and their challenges"};

    private final Jdbc db;
    private final JdbcOptions options;

    /** Default prefix; dialect detected on first use. */
    public JdbcSchema(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcSchema(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcSchema");
        this.options = options;
    }

    /**
     * Brings the schema to {@link #LATEST_VERSION}, running only the versions not yet recorded.
     *
     * @return the installed version afterwards
     */
    public int migrate() {
        return migrate(LATEST_VERSION);
    }

    /**
     * Brings the schema to {@code target} (at most {@link #LATEST_VERSION}); a schema already at or
     * past it is left alone. Package-private: tests use it to build a database as an older release
     * left it.
     */
    int migrate(int target) {
        if (target < 1 || target > LATEST_VERSION) {
            throw new IllegalArgumentException("target must be 1 to " + LATEST_VERSION);
        }
        JdbcDialect dialect = db.dialect("migrate");
        return dialect.migrateExclusively(db, "migrate", lockName(), c -> migrate(c, dialect, target));
    }

    /** The recorded version; 0 when auth-jdbc's schema was never installed by {@link #migrate()}. */
    public int installedVersion() {
        return db.run("installedVersion", c -> {
            if (!historyExists(c)) {
                return 0;
            }
            return readVersion(c);
        });
    }

    /**
     * The DDL of {@code version} for {@code dialect} with {@code tablePrefix} applied, as one text
     * of {@code ;}-terminated statements, for users who run it through their own tool.
     */
    public static String script(JdbcDialect dialect, int version, String tablePrefix) {
        Objects.requireNonNull(dialect, "dialect");
        String prefix = JdbcOptions.builder().tablePrefix(tablePrefix).build().tablePrefix();
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("version must be one of " + VERSIONS + ", was " + version);
        }
        String resource = dialect.schemaResource(version);
        try (InputStream in = JdbcSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + " in the auth-jdbc jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace(JdbcOptions.DEFAULT_TABLE_PREFIX, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static List<String> statements(String script) {
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> result = new ArrayList<>();
        for (String statement : code.toString().split(";")) {
            if (!statement.isBlank()) {
                result.add(statement.strip());
            }
        }
        return result;
    }

    private int migrate(Connection c, JdbcDialect dialect, int target) throws SQLException {
        String history = options.table("schema_history");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + history + " (version INT NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL,"
                    + " installed_on TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
        }
        if (dialect != JdbcDialect.H2 || missing(c, target).isEmpty()) {
            return applyFrom(c, dialect, target);
        }
        // H2 has no advisory lock. Nodes sharing a database hold a row lock instead, on a history
        // row of version 0 that a second connection inserts and never commits: the others wait on
        // it (or time out, and retry), so no two nodes run the same DDL at once. (Racing ALTER
        // TABLEs of version 3 otherwise stall H2 for its whole lock timeout.)
        return db.run("migrate", lock -> {
            lock.setAutoCommit(false);
            try (PreparedStatement ps = lock.prepareStatement(
                    "INSERT INTO " + history + " (version, description) VALUES (0, 'migration in progress')")) {
                ps.executeUpdate();
                return applyFrom(c, dialect, target);
            } finally {
                lock.rollback();
                lock.setAutoCommit(true);
            }
        });
    }

    /**
     * Every shipped version up to the target that the history lacks, not just those above its
     * highest: the numbering has gaps that a later release fills.
     */
    private int applyFrom(Connection c, JdbcDialect dialect, int target) throws SQLException {
        for (int next : missing(c, target)) {
            apply(c, dialect, next);
        }
        return readVersion(c);
    }

    private List<Integer> missing(Connection c, int target) throws SQLException {
        java.util.Set<Integer> applied = appliedVersions(c);
        return VERSIONS.stream().filter(v -> v <= target && !applied.contains(v)).toList();
    }

    /** One version in one transaction where the database has transactional DDL (PostgreSQL). */
    private void apply(Connection c, JdbcDialect dialect, int version) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(!dialect.transactionalDdl());
        try (Statement s = c.createStatement()) {
            for (String sql : statements(script(dialect, version, options.tablePrefix()))) {
                s.execute(sql);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + options.table("schema_history") + " (version, description) VALUES (?, ?)")) {
                ps.setInt(1, version);
                ps.setString(2, DESCRIPTIONS[version]);
                ps.executeUpdate();
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private java.util.Set<Integer> appliedVersions(Connection c) throws SQLException {
        java.util.Set<Integer> versions = new java.util.HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + options.table("schema_history"))) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private int readVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + options.table("schema_history"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean historyExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + options.table("schema_history")).close();
            return true;
        } catch (SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return false;
        }
    }

    /** Names the schema of one prefix, so migrations of different prefixes do not wait for each other. */
    private String lockName() {
        return "portcullis-schema:" + options.tablePrefix();
    }
}
