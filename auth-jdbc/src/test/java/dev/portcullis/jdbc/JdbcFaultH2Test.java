package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.StoredUser;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * Faults against a real database: nothing listening, an H2 TCP server stopped in the middle of a
 * run and started again, a statement failing inside a transaction. The pool is HikariCP with short
 * timeouts, as the JDBC guide advises (docs/guide/jdbc.md, "Failing fast, and recovering").
 */
class JdbcFaultH2Test {

    @Test
    void deadDatabaseFailsFastWithAStoreExceptionNamingTheCause() throws IOException {
        JdbcDataSource direct = new JdbcDataSource();
        direct.setURL("jdbc:h2:tcp://127.0.0.1:" + unusedPort() + "/mem:nowhere");
        JdbcUserStore users = new JdbcUserStore(direct);
        long start = System.nanoTime();

        assertThatThrownBy(() -> users.findByEmail(EmailAddress.of("a@example.com")))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("JdbcUserStore.findByEmail failed: ")
                .hasMessageContaining("Connection refused");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void deadDatabaseBehindAPoolFailsAfterThePoolsConnectionTimeout() throws IOException {
        try (HikariDataSource pool = pool("jdbc:h2:tcp://127.0.0.1:" + unusedPort() + "/mem:nowhere")) {
            JdbcSessionStore sessions = new JdbcSessionStore(pool);
            long start = System.nanoTime();

            assertThatThrownBy(() -> sessions.deleteAllForUser(UserId.random()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("JdbcSessionStore.deleteAllForUser failed: ")
                    .hasMessageContaining("request timed out after");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void serverStoppedMidRunFailsCleanlyLeavesNoHalfWrittenUserAndRecoversByItself(@TempDir Path directory) throws Exception {
        int port = unusedPort();
        Server server = startServer(port, directory);
        try (HikariDataSource pool = pool("jdbc:h2:tcp://127.0.0.1:" + port + "/fault")) {
            JdbcOptions options = JdbcOptions.builder().dialect(JdbcDialect.H2).build();
            new JdbcSchema(pool, options).migrate();
            JdbcUserStore users = new JdbcUserStore(pool, options);

            // A writer registers users with three roles each (two tables, one transaction) while the server dies.
            CountDownLatch someWritten = new CountDownLatch(20);
            AtomicBoolean stop = new AtomicBoolean();
            List<StoredUser> confirmed = new ArrayList<>();
            List<StoreException> failures = new ArrayList<>();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writing = writer.submit(() -> {
                while (!stop.get()) {
                    StoredUser user = user();
                    try {
                        if (users.insert(user)) {
                            synchronized (confirmed) {
                                confirmed.add(user);
                            }
                        }
                    } catch (StoreException e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                    someWritten.countDown();
                }
            });
            assertThat(someWritten.await(30, TimeUnit.SECONDS)).isTrue();
            server.stop();

            assertThatThrownBy(() -> users.findByEmail(EmailAddress.of("x@example.com")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("JdbcUserStore.findByEmail failed: ");

            server = startServer(port, directory);
            stop.set(true);
            writing.get(30, TimeUnit.SECONDS);
            writer.shutdown();

            // Recovered without anyone touching the pool; every confirmed user is whole; no user lacks its roles.
            StoredUser after = user();
            assertThat(users.insert(after)).isTrue();
            assertThat(users.findById(after.id())).isPresent();
            synchronized (confirmed) {
                assertThat(confirmed).allSatisfy(u -> assertThat(users.findById(u.id()).orElseThrow().roles())
                        .containsExactlyInAnyOrder("a", "b", "c"));
            }
            assertThat(usersWithoutAllRoles(pool)).isZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void statementFailingInsideATransactionRollsBackTheWholeChange() throws SQLException {
        try (TestDatabase database = TestDatabase.h2().migrate()) {
            JdbcUserStore users = new JdbcUserStore(database.dataSource(), database.options());
            StoredUser user = new StoredUser(UserId.random(), EmailAddress.of("half@example.com"), new PasswordHash("h"),
                    Instant.EPOCH, false, false, Set.of("ok", "x".repeat(300)));

            assertThatThrownBy(() -> users.insert(user))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("JdbcUserStore.insert failed: ");

            assertThat(users.findById(user.id())).isEmpty();
            assertThat(users.findByEmail(user.email())).isEmpty();
            assertThat(count(database, "SELECT COUNT(*) FROM " + database.options().table("user_roles"))).isZero();
            assertThat(users.insert(user.withRoles(Set.of("ok")))).isTrue();
        }
    }

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long usersWithoutAllRoles(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM portcullis_users u WHERE "
                     + "(SELECT COUNT(*) FROM portcullis_user_roles r WHERE r.user_id = u.id) <> 3")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static StoredUser user() {
        return new StoredUser(UserId.random(), EmailAddress.of(UUID.randomUUID() + "@example.com"),
                new PasswordHash("h"), Instant.EPOCH, false, false, Set.of("a", "b", "c"));
    }

    /** A pool that fails a borrow after 500 ms and does not insist on a connection at start-up. */
    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(500);
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1);
        config.setExceptionOverride(new EvictOnH2ConnectionLoss());
        return new HikariDataSource(config);
    }

    /**
     * HikariCP evicts a connection at once when the driver reports a connection-level SQLState
     * (08xxx, as the PostgreSQL and MariaDB drivers do); H2 reports a lost server with its own
     * codes, so an H2 server-mode pool names them.
     */
    static final class EvictOnH2ConnectionLoss implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return switch (e.getErrorCode()) {
                case 90067, 90098, 90121, 90007 -> Override.MUST_EVICT;
                default -> Override.CONTINUE_EVICT;
            };
        }
    }

    /** An H2 server for a database file in {@code directory}: stopping it is a database going away. */
    private static Server startServer(int port, Path directory) throws SQLException {
        return Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists",
                "-baseDir", directory.toString()).start();
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
