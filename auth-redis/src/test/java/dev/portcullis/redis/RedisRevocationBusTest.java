package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.StoreException;
import dev.portcullis.testkit.FreezingProxy;
import dev.portcullis.testkit.RevocationBusContract;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The {@link RevocationBusContract} on Redis pub/sub (PORTCULLIS_TEST_REDIS_URL); a dropped connection
 * is a {@code CLIENT KILL ID} of the subscribed connection.
 */
class RedisRevocationBusTest extends RevocationBusContract<RedisRevocationBus> {

    private static TestRedis redis;
    private final String channel = TestRedis.newPrefix() + "revocation";

    private static TestRedis redis() {
        if (redis == null) {
            redis = TestRedis.connect();
        }
        return redis;
    }

    @AfterAll
    static void closeClient() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected RedisRevocationBus newBus() {
        return RedisRevocationBus.builder(redis().client(), redis.uri()).channel(channel)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).start();
    }

    @Override
    protected void dropConnection(RedisRevocationBus bus) {
        kill(redis().uri(), bus);
    }

    static void kill(URI uri, RedisRevocationBus bus) {
        long id = bus.listeningClientId().orElseThrow(() -> new AssertionError("the bus is not subscribed"));
        try (Jedis admin = new Jedis(uri)) {
            admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id)));
        }
    }

    @Test
    void aConnectionThatFallsSilentIsFoundByTheHealthCheckDroppedAndReplaced() throws Exception {
        URI direct = redis().uri();
        try (FreezingProxy proxy = FreezingProxy.to(direct.getHost(), direct.getPort());
             RedisRevocationBus bus = RedisRevocationBus.builder(redis.client(),
                             URI.create("redis://" + direct.getHost() + ":" + proxy.port()))
                     .channel(channel).healthCheck(Duration.ofSeconds(1))
                     .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).start()) {
            Recorder onBus = new Recorder();
            bus.subscribe(onBus);
            await("the bus connects through the proxy", RECONNECT, bus::connected);
            long silenced = bus.listeningClientId().orElseThrow();
            int restored = onBus.restored.get();

            proxy.freezeOpenConnections(); // no reset, no close: only the health check can tell

            await("the health check reports the silent connection lost", RECONNECT,
                    () -> onBus.lost.get() >= 1 && !bus.connected());
            await("the bus reconnects and its listeners flush", RECONNECT,
                    () -> onBus.restored.get() > restored && bus.connected());
            assertThat(bus.listeningClientId()).isPresent().get().isNotEqualTo(silenced);
            RevocationEvent event = new RevocationEvent.UserSessionsEnded(new UserId("u-" + UUID.randomUUID()));
            bus.publish(event);
            await("events flow on the new connection", DELIVERY, () -> onBus.events.contains(event));
        }
    }

    @Test
    void aQuietHealthyConnectionAnswersTheHealthCheckAndIsKept() {
        try (RedisRevocationBus bus = RedisRevocationBus.builder(redis().client(), redis.uri()).channel(channel)
                .healthCheck(Duration.ofSeconds(1)).start()) {
            Recorder onBus = new Recorder();
            bus.subscribe(onBus);
            await("the bus connects", RECONNECT, bus::connected);
            long id = bus.listeningClientId().orElseThrow();
            int lostBefore = onBus.lost.get(); // subscribed before it connected: told once

            // Nothing is published: every second the health thread PINGs. Were the PONGs not taken
            // as an answer, the connection would be dropped after about two seconds.
            await("the connection has lived through several health checks", RECONNECT,
                    () -> onBus.lost.get() > lostBefore || age(id) >= 4);

            assertThat(onBus.lost).hasValue(lostBefore);
            assertThat(bus.listeningClientId()).contains(id);
            assertThat(clientInfo(id)).contains("cmd=ping");
        }
    }

    private static String clientInfo(long id) {
        try (Jedis admin = new Jedis(redis().uri())) {
            return admin.clientList(id);
        }
    }

    /** The connection's age in seconds, from {@code CLIENT LIST ID}; -1 when it is gone. */
    private static long age(long id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bage=(\\d+)").matcher(clientInfo(id));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void healthCheckIsValidated() {
        try (JedisPooled never = unconnectedClient()) {
            assertThatThrownBy(() -> RedisRevocationBus.builder(never, URI.create("redis://127.0.0.1:1"))
                    .healthCheck(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("healthCheck");
        }
    }

    @Test
    void channelAndUriAreValidated() {
        try (JedisPooled never = unconnectedClient()) {
            assertThatThrownBy(() -> RedisRevocationBus.builder(never, URI.create("redis://127.0.0.1:1")).channel("bad channel*"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RedisRevocationBus.builder(never, URI.create("http://127.0.0.1:6379")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
        }
    }

    /** The builder validates before any connection: these checks need no Redis, so they run everywhere. */
    private static JedisPooled unconnectedClient() {
        return new JedisPooled(new HostAndPort("127.0.0.1", 1),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(200).socketTimeoutMillis(200).build());
    }

    @Test
    void publishingWithoutRedisIsAStoreException() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (JedisPooled dead = new JedisPooled(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(500).build());
             RedisRevocationBus bus = RedisRevocationBus.builder(dead, URI.create("redis://127.0.0.1:" + port))
                     .channel(channel).start()) {
            assertThatThrownBy(() -> bus.publish(new RevocationEvent.AccountChanged(new UserId("1"))))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("RedisRevocationBus.publish failed");
        }
    }
}
