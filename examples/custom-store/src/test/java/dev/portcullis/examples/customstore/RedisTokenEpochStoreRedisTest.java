package dev.portcullis.examples.customstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.TokenEpochStore;
import dev.portcullis.testkit.ExternalService;
import dev.portcullis.testkit.TokenEpochStoreContract;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The whole {@link TokenEpochStoreContract} against the local Redis ({@code PORTCULLIS_TEST_REDIS_URL}),
 * plus what is particular to Redis: the keys, no time to live, faults as StoreExceptions. Every test
 * writes under its own key prefix and deletes its keys afterwards.
 */
class RedisTokenEpochStoreRedisTest extends TokenEpochStoreContract {

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
    protected TokenEpochStore createStore() {
        prefix = "portcullis-test:" + UUID.randomUUID() + ":";
        return new RedisTokenEpochStore(redis(), prefix);
    }

    @AfterEach
    void deleteKeys() {
        if (redis != null && prefix != null) {
            redis.keys(prefix + "*").forEach(redis::del);
        }
    }

    @AfterAll
    static void closeClient() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void anEpochIsOneKeyWithoutTimeToLive() {
        UserId alice = new UserId("alice-1");
        store.advance(alice);

        assertThat(redis.get(prefix + "token-epoch:alice-1")).isEqualTo("1");
        assertThat(redis.pttl(prefix + "token-epoch:alice-1")).as("no expiry").isEqualTo(-1L);
    }

    @Test
    void keyPrefixIsValidated() {
        assertThatThrownBy(() -> new RedisTokenEpochStore(redis, "bad prefix*"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
    }

    @Test
    void unreachableRedisIsAStoreException() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (JedisPooled dead = new JedisPooled(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(500).build())) {
            assertThatThrownBy(() -> new RedisTokenEpochStore(dead, "dead:").current(new UserId("1")))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("RedisTokenEpochStore.current failed: ");
        }
    }
}
