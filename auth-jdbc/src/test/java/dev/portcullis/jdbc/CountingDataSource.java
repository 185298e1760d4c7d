package dev.portcullis.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that passes everything to another one and records the text of every SQL
 * statement executed through the connections it hands out, so a test can say how many statements
 * a store call (or a whole login) costs.
 *
 * <p>Counted: each {@code execute}, {@code executeQuery}, {@code executeUpdate} and
 * {@code executeLargeUpdate} of a {@link Statement}, {@link PreparedStatement} or
 * {@link CallableStatement}, and each statement of an executed batch. Not counted, because they
 * are not statements the code wrote: {@code commit()} and {@code rollback()} (counted apart, in
 * {@link #commits()} and {@link #rollbacks()}), {@code setAutoCommit}, metadata calls, and whatever
 * the pool or driver sends on its own (validation queries, {@code BEGIN}), and statements created
 * through a back-reference to the real connection ({@code Statement.getConnection()}), which the
 * stores never use. A statement that fails
 * still counts: it was sent. Thread-safe: concurrent calls record into one list, in the order in
 * which they execute.
 */
final class CountingDataSource implements DataSource {

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");
    private static final Set<String> EXECUTE_BATCH = Set.of("executeBatch", "executeLargeBatch");

    private final DataSource target;
    private final List<String> statements = new ArrayList<>();
    private int commits;
    private int rollbacks;

    CountingDataSource(DataSource target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** The text of every statement executed since creation or the last {@link #reset()}, in order. */
    synchronized List<String> statements() {
        return List.copyOf(statements);
    }

    /** How many statements were executed since creation or the last {@link #reset()}. */
    synchronized int count() {
        return statements.size();
    }

    synchronized int commits() {
        return commits;
    }

    synchronized int rollbacks() {
        return rollbacks;
    }

    /** Forgets what was recorded, e.g. after a test's setup. */
    synchronized void reset() {
        statements.clear();
        commits = 0;
        rollbacks = 0;
    }

    private synchronized void executed(String sql) {
        statements.add(sql);
    }

    private synchronized void executedBatch(List<String> batch) {
        statements.addAll(batch);
    }

    private synchronized void committed() {
        commits++;
    }

    private synchronized void rolledBack() {
        rollbacks++;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connection(target.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target.isWrapperFor(type);
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, (method, args) -> {
            Object result = invoke(real, method, args);
            switch (method.getName()) {
                case "createStatement" -> {
                    return statement(Statement.class, (Statement) result, null);
                }
                case "prepareStatement" -> {
                    return statement(PreparedStatement.class, (Statement) result, (String) args[0]);
                }
                case "prepareCall" -> {
                    return statement(CallableStatement.class, (Statement) result, (String) args[0]);
                }
                case "commit" -> committed();
                case "rollback" -> {
                    if (args == null) {
                        rolledBack();
                    }
                }
                default -> {
                    // passed through unchanged
                }
            }
            return result;
        });
    }

    /**
     * A statement that records each execution: of {@code preparedSql} when it was prepared, else
     * of the SQL given to the execute call. Batches record their statements when executed.
     */
    private <S extends Statement> S statement(Class<S> type, Statement real, String preparedSql) {
        List<String> batch = new ArrayList<>();
        return proxy(type, real, (method, args) -> {
            String name = method.getName();
            boolean hasSql = args != null && args.length > 0 && args[0] instanceof String;
            if (name.equals("addBatch")) {
                batch.add(hasSql ? (String) args[0] : preparedSql);
            } else if (name.equals("clearBatch")) {
                batch.clear();
            } else if (EXECUTE.contains(name)) {
                executed(hasSql ? (String) args[0] : preparedSql);
            } else if (EXECUTE_BATCH.contains(name)) {
                executedBatch(List.copyOf(batch));
                batch.clear();
            }
            return invoke(real, method, args);
        });
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Object real, Handler handler) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> invoke(real, method, args);
                };
            }
            return handler.handle(method, args);
        };
        return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
