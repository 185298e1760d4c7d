package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.testkit.ExternalService;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
import org.junit.jupiter.api.Test;

/**
 * Faults on PostgreSQL: nothing listening, and every connection of the pool terminated in the
 * middle of a run (what a database restart or failover does to clients).
 */
class JdbcFaultPostgreSqlTest {

    @Test
    void deadDatabaseFailsFastWithAStoreExceptionNamingTheCause() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres&connectTimeout=2&socketTimeout=10");
        config.setConnectionTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcAttemptStore attempts = new JdbcAttemptStore(pool);
            long start = System.nanoTime();

            assertThatThrownBy(() -> attempts.recordFailure("k", Instant.EPOCH, Instant.EPOCH))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("JdbcAttemptStore.recordFailure failed: ")
                    .hasMessageContaining("Connection to 127.0.0.1:" + port + " refused");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void connectionsTerminatedMidRunFailCleanlyLeaveNoHalfWrittenUserAndThePoolRecovers() throws Exception {
        String url = ExternalService.postgresUrl();
        String application = "portcullis-fault-" + UUID.randomUUID();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + application
                + "&connectTimeout=5&socketTimeout=30");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        JdbcOptions options = JdbcOptions.builder().tablePrefix(TestDatabase.uniquePrefix()).build();
        try (HikariDataSource pool = new HikariDataSource(config)) {
            new JdbcSchema(pool, options).migrate();
            JdbcUserStore users = new JdbcUserStore(pool, options);
            try {
                CountDownLatch someWritten = new CountDownLatch(20);
                AtomicBoolean stop = new AtomicBoolean();
                List<StoredUser> confirmed = new ArrayList<>();
                List<StoreException> failures = new ArrayList<>();
                ExecutorService writers = Executors.newFixedThreadPool(3);
                List<Future<?>> writing = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    writing.add(writers.submit(() -> {
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
                    }));
                }
                assertThat(someWritten.await(30, TimeUnit.SECONDS)).isTrue();
                int terminated = 0;
                for (int round = 0; round < 5; round++) {
                    terminated += terminateConnections(url, application);
                }
                stop.set(true);
                for (Future<?> f : writing) {
                    f.get(30, TimeUnit.SECONDS);
                }
                writers.shutdown();

                assertThat(terminated).isPositive();
                synchronized (failures) {
                    assertThat(failures).allSatisfy(e -> assertThat(e).hasMessageStartingWith("JdbcUserStore.insert failed: "));
                }
                StoredUser after = user();
                assertThat(users.insert(after)).isTrue();
                assertThat(users.findByEmail(after.email())).map(StoredUser::id).contains(after.id());
                synchronized (confirmed) {
                    assertThat(confirmed).allSatisfy(u -> assertThat(users.findById(u.id()).orElseThrow().roles())
                            .containsExactlyInAnyOrder("a", "b", "c"));
                }
                assertThat(usersWithoutAllRoles(pool, options)).isZero();
            } finally {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    for (String table : TestDatabase.TABLES) {
                        s.execute("DROP TABLE IF EXISTS " + options.table(table));
                    }
                }
            }
        }
    }

    private static int terminateConnections(String url, String application) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url);
             PreparedStatement ps = admin.prepareStatement(
                     "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             + " WHERE application_name = ?) t")) {
            ps.setString(1, application);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static long usersWithoutAllRoles(HikariDataSource pool, JdbcOptions options) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + options.table("users") + " u WHERE (SELECT COUNT(*) FROM "
                     + options.table("user_roles") + " r WHERE r.user_id = u.id) <> 3")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static StoredUser user() {
        return new StoredUser(UserId.random(), EmailAddress.of(UUID.randomUUID() + "@example.com"),
                new PasswordHash("h"), Instant.EPOCH, false, false, Set.of("a", "b", "c"));
    }
}
