package dev.portcullis.jdbc;

import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
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

    private static final int TRANSIENT_RETRIES = 5;

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
