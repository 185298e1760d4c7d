package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoreException;
import dev.portcullis.testkit.ExternalService;
import dev.portcullis.testkit.SessionStoreContract;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The whole {@link SessionStoreContract} against the local Redis ({@code PORTCULLIS_TEST_REDIS_URL}),
 * plus what is particular to Redis: keys hold digests only, and carry a time to live. Every test
 * writes under its own key prefix and deletes its keys afterwards.
 */
class RedisSessionStoreRedisTest extends SessionStoreContract {

    private static final Duration RETENTION = Duration.ofHours(1);

    private static JedisPooled redis;
    private String prefix;

    /** Lazily, so that a missing Redis skips (or on CI fails) each test visibly. */
    private static JedisPooled redis() {
        if (redis == null) {
            redis = new JedisPooled(URI.create(ExternalService.redisUrl()));
        }
        return redis;
    }

    @Override
    protected SessionStore createStore() {
        prefix = "portcullis-test:" + UUID.randomUUID() + ":";
        return new RedisSessionStore(redis(), prefix, RETENTION);
    }

    @AfterEach
    void deleteKeys() {
        if (redis != null && prefix != null) {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
        }
    }

    @AfterAll
    static void closeClient() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void keysAndValuesHoldTheDigestNeverTheToken() {
        SessionToken token = SessionToken.parse("A".repeat(43)).orElseThrow();
        store.insert(new SessionRecord(token.digest(), new UserId("u1"), now(), now(), "192.0.2.1"));

        List<String> keys = keys();

        assertThat(keys).containsExactlyInAnyOrder(prefix + "session:" + token.digest().hex(), prefix + "user-sessions:u1");
        assertThat(keys).noneMatch(k -> k.contains(token.value()));
        assertThat(redis.hgetAll(prefix + "session:" + token.digest().hex()).values()).noneMatch(v -> v.contains(token.value()));
    }

    @Test
    void sessionAndIndexCarryTheRetentionAsTimeToLive() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);

        long sessionTtl = redis.pttl(prefix + "session:" + session.id().hex());
        long indexTtl = redis.pttl(prefix + "user-sessions:" + session.userId().value());

        assertThat(sessionTtl).isBetween(RETENTION.toMillis() - 60_000, RETENTION.toMillis());
        assertThat(indexTtl).isBetween(RETENTION.toMillis() - 60_000, RETENTION.toMillis());
    }

    @Test
    void sessionsRedisEvictedAreNeitherListedNorCountedAndLeaveTheIndex() {
        UserId user = UserId.random();
        SessionRecord kept = session(user, "192.0.2.1");
        SessionRecord evicted = session(user, "192.0.2.2");
        store.insert(kept);
        store.insert(evicted);
        redis.del(prefix + "session:" + evicted.id().hex()); // what the TTL does

        assertThat(store.findAllForUser(user)).containsExactly(kept);
        assertThat(redis.zrange(prefix + "user-sessions:" + user.value(), 0, -1)).containsExactly(kept.id().hex());
        assertThat(store.deleteAllForUser(user)).isEqualTo(1);
    }

    @Test
    void keyPrefixAndRetentionAreValidated() {
        assertThatThrownBy(() -> new RedisSessionStore(redis, "bad prefix*", RETENTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> new RedisSessionStore(redis, "ok:", Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }

    @Test
    void unreachableRedisFailsFastWithAStoreException() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (JedisPooled dead = new JedisPooled(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(500).build())) {
            RedisSessionStore unreachable = new RedisSessionStore(dead, "dead:", RETENTION);
            long start = System.nanoTime();

            assertThatThrownBy(() -> unreachable.find(SessionStoreContract.newId()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("RedisSessionStore.find failed: ");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanParams match = new ScanParams().match(prefix + "*").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }
}
