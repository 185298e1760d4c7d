package dev.portcullis.jdbc;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link AttemptStore} on the {@code <prefix>attempts} table, so that every node sharing the
 * database throttles from the same counts.
 *
 * <p>Thread-safe and atomic across nodes: {@link #recordFailure} inserts the row or counts up the
 * one there under its row lock, in one statement on H2 ({@code MERGE} inside
 * {@code SELECT ... FROM FINAL TABLE}) and PostgreSQL ({@code INSERT ... ON CONFLICT DO UPDATE
 * ... RETURNING}), and on MariaDB/MySQL as {@code INSERT ... ON DUPLICATE KEY UPDATE} and a
 * {@code SELECT} in one transaction (see {@code JdbcDialect.upsert}); n racing calls raise the
 * count by n. {@link #findAll} is one statement, as are {@link #find}, {@link #release},
 * {@link #clear} and {@link #deleteOlderThan}. Keys are at most 255 characters. Fails with {@link StoreException}
 * naming the operation and the cause.
 */
public final class JdbcAttemptStore implements AttemptStore {

    private static final String COLUMNS = "failures, window_start, last_failure_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_attempts} table; dialect detected on first use. */
    public JdbcAttemptStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcAttemptStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcAttemptStore");
        this.table = options.table("attempts");
    }

    @Override
    public Attempts recordFailure(String key, Instant now, Instant resetBefore) {
        Objects.requireNonNull(key, "key");
        long at = now.toEpochMilli();
        long reset = resetBefore.toEpochMilli();
        String old = table + ".";
        // Each assignment reads the old window_start, also on MariaDB/MySQL, which evaluate SET left to right.
        Upsert failure = new Upsert(table, List.of("attempt_key", "failures", "window_start", "last_failure_at"),
                List.of(key, 1, at, at),
                List.of("last_failure_at = CASE WHEN " + old + "window_start < ? THEN ? ELSE GREATEST(" + old + "last_failure_at, ?) END",
                        "failures = CASE WHEN " + old + "window_start < ? THEN 1 ELSE " + old + "failures + 1 END",
                        "window_start = CASE WHEN " + old + "window_start < ? THEN ? ELSE " + old + "window_start END"),
                List.of(reset, at, at, reset, reset, at), COLUMNS);
        return db.dialect("recordFailure").upsert(db, "recordFailure", failure, rs -> attempts(rs, 1));
    }

    @Override
    public Optional<Attempts> find(String key) {
        Objects.requireNonNull(key, "key");
        return db.run("find", c -> read(c, key));
    }

    /** One {@code SELECT ... WHERE attempt_key IN (...)}; no statement at all for no keys. */
    @Override
    public Map<String, Attempts> findAll(Collection<String> keys) {
        Set<String> wanted = new LinkedHashSet<>(Objects.requireNonNull(keys, "keys"));
        wanted.forEach(key -> Objects.requireNonNull(key, "key"));
        if (wanted.isEmpty()) {
            return Map.of();
        }
        String sql = "SELECT attempt_key, " + COLUMNS + " FROM " + table + " WHERE attempt_key IN ("
                + "?, ".repeat(wanted.size() - 1) + "?) AND failures > 0";
        List<Map.Entry<String, Attempts>> rows = db.run("findAll", c -> db.query(c, sql,
                rs -> Map.entry(rs.getString(1), attempts(rs, 2)), wanted.toArray()));
        Map<String, Attempts> found = new HashMap<>();
        for (Map.Entry<String, Attempts> row : rows) {
            if (wanted.contains(row.getKey())) {
                found.put(row.getKey(), row.getValue());
            }
        }
        return Map.copyOf(found);
    }

    /**
     * One statement: counts down, never below zero. A row at zero stays until a failure counts it
     * up again (in its window, as any row) or {@link #deleteOlderThan} removes it; reads treat it as
     * absent.
     */
    @Override
    public void release(String key) {
        Objects.requireNonNull(key, "key");
        db.run("release", c -> db.update(c, "UPDATE " + table + " SET failures = failures - 1 WHERE attempt_key = ? AND failures > 0",
                key));
    }

    @Override
    public void clear(String key) {
        Objects.requireNonNull(key, "key");
        db.run("clear", c -> db.update(c, "DELETE FROM " + table + " WHERE attempt_key = ?", key));
    }

    @Override
    public int deleteOlderThan(Instant cutoff) {
        return db.run("deleteOlderThan", c -> db.update(c, "DELETE FROM " + table + " WHERE last_failure_at < ?",
                cutoff.toEpochMilli()));
    }

    private Optional<Attempts> read(Connection c, String key) throws SQLException {
        return db.query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE attempt_key = ? AND failures > 0", rs -> attempts(rs, 1), key)
                .stream().findFirst();
    }

    /** The entry in the three columns from {@code first} on: failures, window start, last failure. */
    private static Attempts attempts(ResultSet rs, int first) throws SQLException {
        return new Attempts(rs.getInt(first), Jdbc.instant(rs, first + 1), Jdbc.instant(rs, first + 2));
    }
}
