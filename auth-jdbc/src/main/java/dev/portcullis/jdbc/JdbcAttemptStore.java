package dev.portcullis.jdbc;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * count by n. {@link #recordFailures} counts several keys in one such upsert (one statement on H2
 * and PostgreSQL, two on MariaDB/MySQL). {@link #findAll} is one statement, as are {@link #find},
 * {@link #release}, {@link #clear}, {@link #clearAndRelease} and {@link #deleteOlderThan}. Keys are at most 255 characters. Fails with {@link StoreException}
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

    /**
     * All keys in one upsert of several rows ({@code JdbcDialect.upsertRows}): one statement on H2
     * and PostgreSQL, two in one transaction on MariaDB/MySQL. Each row follows
     * {@link #recordFailure}'s rules, with its own window threshold read by the row's key; the rows
     * are written in key order, so two such calls never wait on each other's rows.
     */
    @Override
    public Map<String, Attempts> recordFailures(Map<String, Instant> resetBefore, Instant now) {
        Objects.requireNonNull(resetBefore, "resetBefore");
        Objects.requireNonNull(now, "now");
        if (resetBefore.isEmpty()) {
            return Map.of();
        }
        if (resetBefore.size() == 1) {
            Map.Entry<String, Instant> only = resetBefore.entrySet().iterator().next();
            return Map.of(only.getKey(), recordFailure(only.getKey(), now, only.getValue()));
        }
        long at = now.toEpochMilli();
        String old = table + ".";
        SortedMap<String, Instant> keys = new TreeMap<>(resetBefore);
        List<List<Object>> rows = new ArrayList<>();
        List<Object> resetParams = new ArrayList<>();
        keys.forEach((key, reset) -> {
            rows.add(List.of(Objects.requireNonNull(key, "key"), 1, at, at));
            resetParams.add(key);
            resetParams.add(reset.toEpochMilli());
        });
        // The row's own threshold, picked by its key (the same assignments apply to every row).
        String reset = "(CASE " + old + "attempt_key" + " WHEN ? THEN ?".repeat(keys.size()) + " END)";
        List<Object> params = new ArrayList<>();
        params.addAll(resetParams);
        params.add(at);
        params.add(at);
        params.addAll(resetParams);
        params.addAll(resetParams);
        params.add(at);
        UpsertRows failures = new UpsertRows(table, List.of("attempt_key", "failures", "window_start", "last_failure_at"),
                rows,
                List.of("last_failure_at = CASE WHEN " + old + "window_start < " + reset + " THEN ? ELSE GREATEST("
                                + old + "last_failure_at, ?) END",
                        "failures = CASE WHEN " + old + "window_start < " + reset + " THEN 1 ELSE " + old + "failures + 1 END",
                        "window_start = CASE WHEN " + old + "window_start < " + reset + " THEN ? ELSE " + old
                                + "window_start END"),
                params, "attempt_key, " + COLUMNS);
        List<Map.Entry<String, Attempts>> counted = db.dialect("recordFailures").upsertRows(db, "recordFailures",
                failures, rs -> Map.entry(rs.getString(1), attempts(rs, 2)));
        Map<String, Attempts> result = new HashMap<>();
        counted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return Map.copyOf(result);
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

    /**
     * One {@code UPDATE} on every database: the released keys count down (never below zero) and
     * {@code clearKey} goes to zero with its window moved to the epoch, so reads treat it as absent
     * and the next failure starts a new window, as after {@link #clear}; {@link #deleteOlderThan}
     * removes the row in time.
     */
    @Override
    public void clearAndRelease(String clearKey, Collection<String> releaseKeys) {
        Objects.requireNonNull(clearKey, "clearKey");
        Set<String> keys = new LinkedHashSet<>();
        keys.add(clearKey);
        Objects.requireNonNull(releaseKeys, "releaseKeys").forEach(k -> keys.add(Objects.requireNonNull(k, "key")));
        List<Object> params = new ArrayList<>(List.of(clearKey, clearKey));
        params.addAll(keys);
        // Neither assignment reads a column the other changes (MariaDB/MySQL apply them in order).
        db.run("clearAndRelease", c -> db.update(c, "UPDATE " + table
                + " SET window_start = CASE WHEN attempt_key = ? THEN 0 ELSE window_start END,"
                + " failures = CASE WHEN attempt_key = ? THEN 0 ELSE failures - 1 END"
                + " WHERE attempt_key IN (" + "?, ".repeat(keys.size() - 1) + "?) AND failures > 0", params.toArray()));
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
