package dev.portcullis.jdbc;

import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Connection handling shared by the stores: borrow, run, give back; transactions that always
 * restore auto-commit; every {@link SQLException} turned into a {@link StoreException} that names
 * the store, the operation and the cause.
 */
final class Jdbc {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Reads the current row of a result set into a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static final int TRANSIENT_RETRIES = 5;
    private static final int RACE_RETRIES = 30;

    private final DataSource dataSource;
    private final JdbcOptions options;
    private final String owner;
    /** Resolved on first use, so that constructing a store needs no connection. */
    private volatile JdbcDialect dialect;

    Jdbc(DataSource dataSource, JdbcOptions options, String owner) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.options = Objects.requireNonNull(options, "options");
        this.owner = owner;
        this.dialect = options.dialect().orElse(null);
    }

    JdbcOptions options() {
        return options;
    }

    /** The dialect, detected on first call; a failure is reported as one of {@code operation}. */
    JdbcDialect dialect(String operation) {
        JdbcDialect d = dialect;
        if (d == null) {
            d = run(operation, c -> JdbcDialect.fromProductName(c.getMetaData().getDatabaseProductName()));
            dialect = d;
        }
        return d;
    }

    /** Runs {@code work} on a connection in auto-commit mode (one statement, or reads). */
    <T> T run(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /**
     * Runs {@code work}, one statement in auto-commit mode, again when it loses a race: a
     * unique-key violation (another caller inserted the same key first), a deadlock or a lock
     * timeout. The statement failed as a whole then, so running it again is safe.
     */
    <T> T runRetryingRaces(String operation, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                if (attempt < RACE_RETRIES && (isUniqueViolation(e) || isTransient(e))) {
                    continue;
                }
                throw failure(operation, e);
            }
        }
    }

    /** Runs {@code work} in one transaction; see {@link #transaction(String, Work, Supplier)}. */
    <T> T transaction(String operation, Work<T> work) {
        return transaction(operation, work, null);
    }

    /**
     * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws.
     * A unique-key violation rolls back and returns {@code onDuplicate} when that is given.
     */
    <T> T transaction(String operation, Work<T> work, Supplier<T> onDuplicate) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactionOnce(work, onDuplicate);
            } catch (SQLException e) {
                if (attempt < TRANSIENT_RETRIES && isTransient(e)) {
                    continue; // deadlock victim or serialisation failure: rolled back, safe to run again
                }
                throw failure(operation, e);
            }
        }
    }

    private <T> T transactionOnce(Work<T> work, Supplier<T> onDuplicate) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                if (onDuplicate != null && e instanceof SQLException sql && isUniqueViolation(sql)) {
                    return onDuplicate.get();
                }
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        }
    }

    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        if (options.queryTimeout().isPresent()) {
            ps.setQueryTimeout((int) Math.max(1, options.queryTimeout().get().toSeconds()));
        }
        return ps;
    }

    /**
     * Runs one parameterised {@code INSERT}, {@code UPDATE} or {@code DELETE}; a {@code null}
     * parameter binds SQL NULL as {@code BIGINT} (the only nullable columns written this way are
     * instants in epoch milliseconds).
     *
     * @return the update count
     */
    int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /**
     * Runs one parameterised {@code INSERT} into a table whose integer key {@code keyColumn} (as
     * the database names it) the database generates, and answers that key, read through
     * {@link PreparedStatement#getGeneratedKeys()}: {@code RETURNING} on PostgreSQL and H2, the
     * insert id on MariaDB/MySQL.
     */
    long insertReturningKey(Connection c, String sql, String keyColumn, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {keyColumn})) {
            if (options.queryTimeout().isPresent()) {
                ps.setQueryTimeout((int) Math.max(1, options.queryTimeout().get().toSeconds()));
            }
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no generated key for column " + keyColumn
                            + ": is it an identity, SERIAL or AUTO_INCREMENT column?");
                }
                return keys.getLong(1);
            }
        }
    }

    /** Runs one parameterised query (or {@code ... RETURNING} statement) and reads every row. */
    <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(row.read(rs));
                }
                return result;
            }
        }
    }

    /** An instant kept as epoch milliseconds in a {@code NOT NULL BIGINT} column. */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    /** An instant kept as epoch milliseconds in a nullable {@code BIGINT} column; empty for NULL. */
    static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** Epoch milliseconds of {@code at}, or null (bound as SQL NULL by {@link #update}). */
    static Long millisOrNull(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] == null) {
                ps.setNull(i + 1, Types.BIGINT);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }

    StoreException failure(String operation, Exception e) {
        String why = e instanceof SQLException sql ? describe(sql) : String.valueOf(e.getMessage());
        return new StoreException(owner + "." + operation + " failed: " + why, e);
    }

    /** The driver's message and SQLState, then each cause that says something new (a pool's timeout hides the driver's reason). */
    static String describe(SQLException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).strip());
        if (e.getSQLState() != null) {
            text.append(" [SQLState ").append(e.getSQLState()).append(']');
        }
        int depth = 0;
        for (Throwable cause = e.getCause(); cause != null && cause != e && depth < 4; cause = cause.getCause(), depth++) {
            String message = cause.getMessage();
            if (message != null && !text.toString().contains(message.strip())) {
                text.append("; cause: ").append(cause.getClass().getSimpleName()).append(": ").append(message.strip());
            }
        }
        return text.toString();
    }

    /** PostgreSQL and H2 report 23505; MariaDB and MySQL report 23000 with error code 1062. */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState()) || ("23000".equals(x.getSQLState()) && x.getErrorCode() == 1062)) {
                return true;
            }
        }
        return false;
    }

    /** Deadlock or serialisation failure: the transaction may simply be run again. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || e.getErrorCode() == 1213
                || (state.equals("HYT00") && e.getErrorCode() == 50200));
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it. The original failure is what matters.
        }
    }
}
