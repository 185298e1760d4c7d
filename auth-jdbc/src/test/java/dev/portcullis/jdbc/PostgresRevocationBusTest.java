package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.StoreException;
import dev.portcullis.model.UserId;
import dev.portcullis.testkit.ExternalService;
import dev.portcullis.testkit.FreezingProxy;
import dev.portcullis.testkit.RevocationBusContract;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link RevocationBusContract} on PostgreSQL's LISTEN/NOTIFY (PORTCULLIS_TEST_POSTGRES_URL); a
 * dropped connection is a {@code pg_terminate_backend} of the listening backend. Each test class run
 * uses a channel of its own.
 */
class PostgresRevocationBusTest extends RevocationBusContract<PostgresRevocationBus> {

    private static TestDatabase database;
    private final String channel = "pt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.postgres();
        }
        return database;
    }

    @AfterAll
    static void closePool() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected PostgresRevocationBus newBus() {
        return PostgresRevocationBus.builder(database().dataSource()).channel(channel)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).start();
    }

    @Override
    protected void dropConnection(PostgresRevocationBus bus) throws SQLException {
        terminate(database().dataSource(), bus);
    }

    static void terminate(DataSource dataSource, PostgresRevocationBus bus) throws SQLException {
        int pid = bus.listeningBackendPid().orElseThrow(() -> new AssertionError("the bus is not listening"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            s.setInt(1, pid);
            s.execute();
        }
    }

    @Test
    void aConnectionThatFallsSilentIsFoundByTheHealthCheckDroppedAndReplaced() throws Exception {
        database();
        URI direct = URI.create(ExternalService.postgresUrl().substring("jdbc:".length()));
        int port = direct.getPort() < 0 ? 5432 : direct.getPort();
        try (FreezingProxy proxy = FreezingProxy.to(direct.getHost(), port)) {
            org.postgresql.ds.PGSimpleDataSource viaProxy = new org.postgresql.ds.PGSimpleDataSource();
            viaProxy.setURL(ExternalService.postgresUrl().replaceFirst("//[^/]+/", "//" + direct.getHost() + ":"
                    + proxy.port() + "/"));
            try (PostgresRevocationBus bus = PostgresRevocationBus.builder(database().dataSource()).listenVia(viaProxy)
                    .channel(channel).healthCheck(Duration.ofSeconds(1))
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).start()) {
                Recorder onBus = new Recorder();
                bus.subscribe(onBus);
                await("the bus connects through the proxy", RECONNECT, bus::connected);
                int silenced = bus.listeningBackendPid().orElseThrow();
                int restored = onBus.restored.get();

                proxy.freezeOpenConnections(); // no reset, no close: only the health check can tell

                await("the health check reports the silent connection lost", RECONNECT,
                        () -> onBus.lost.get() >= 1 && !bus.connected());
                await("the bus reconnects and its listeners flush", RECONNECT,
                        () -> onBus.restored.get() > restored && bus.connected());
                assertThat(bus.listeningBackendPid()).isPresent().get().isNotEqualTo(silenced);
                RevocationEvent event = new RevocationEvent.UserSessionsEnded(new UserId("u-" + UUID.randomUUID()));
                bus.publish(event);
                await("events flow on the new connection", DELIVERY, () -> onBus.events.contains(event));
            }
        }
    }

    @Test
    void aQuietHealthyConnectionAnswersTheHealthCheckAndIsKept() throws Exception {
        try (PostgresRevocationBus bus = PostgresRevocationBus.builder(database().dataSource()).channel(channel)
                .healthCheck(Duration.ofSeconds(1)).start()) {
            Recorder onBus = new Recorder();
            bus.subscribe(onBus);
            await("the bus connects", RECONNECT, bus::connected);
            int pid = bus.listeningBackendPid().orElseThrow();
            int lostBefore = onBus.lost.get(); // subscribed before it connected: told once

            // Nothing is published: every second SELECT 1 runs under a one-second read timeout,
            // which must not end a connection that merely had nothing to say.
            await("the connection has lived through several health checks", RECONNECT,
                    () -> onBus.lost.get() > lostBefore || age(pid) >= 4);

            assertThat(onBus.lost).hasValue(lostBefore);
            assertThat(bus.listeningBackendPid()).contains(pid);
        }
    }

    /** Seconds since the backend started, from {@code pg_stat_activity}; -1 when it is gone. */
    private static long age(int pid) {
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT EXTRACT(EPOCH FROM now() - backend_start) FROM pg_stat_activity WHERE pid = ?")) {
            s.setInt(1, pid);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                return rs.next() ? (long) rs.getDouble(1) : -1;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void channelNamesArePlainIdentifiers() {
        // The name is checked by the builder, before any connection: no database needed.
        DataSource never = new org.postgresql.ds.PGSimpleDataSource();
        for (String bad : new String[] {"", "Upper", "has space", "semi;colon", "x".repeat(64), "1starts_with_digit"}) {
            assertThatThrownBy(() -> PostgresRevocationBus.builder(never).channel(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
        }
    }

    @Test
    void publishingWithoutADatabaseIsAStoreException() {
        DataSource dead = new org.postgresql.ds.PGSimpleDataSource();
        ((org.postgresql.ds.PGSimpleDataSource) dead).setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
        try (PostgresRevocationBus bus = PostgresRevocationBus.builder(dead).channel(channel).start()) {
            assertThat(bus.connected()).isFalse();
            assertThatThrownBy(() -> bus.publish(new RevocationEvent.AccountChanged(new UserId("1"))))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("PostgresRevocationBus.publish failed");
        }
    }
}
