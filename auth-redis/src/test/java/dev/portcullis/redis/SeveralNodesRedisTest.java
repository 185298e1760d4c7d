package dev.portcullis.redis;

import dev.portcullis.Stores;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.testkit.SeveralNodesContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * Three {@code Portcullis} nodes sharing Redis (PORTCULLIS_TEST_REDIS_URL) for sessions, throttle
 * counters and remember-me tokens, with a {@link RedisRevocationBus} each; the users are one shared
 * in-memory store standing in for the database.
 */
class SeveralNodesRedisTest extends SeveralNodesContract {

    private static TestRedis redis;
    private final String prefix = TestRedis.newPrefix();

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

    @AfterEach
    void deleteKeys() {
        if (redis != null) {
            redis.deleteKeys(prefix);
        }
    }

    @Override
    protected Stores sharedStores() {
        return RedisStores.on(InMemoryStores.create(), redis().client(), prefix, SessionPolicy.defaults(),
                ThrottlePolicy.defaults());
    }

    @Override
    protected RevocationBus newBus(Duration reconnectAfter) {
        return RedisRevocationBus.builder(redis().client(), redis.uri()).channel(prefix + "revocation")
                .reconnectBackoff(reconnectAfter, reconnectAfter.multipliedBy(4)).start();
    }

    @Override
    protected void dropConnection(RevocationBus bus) {
        RedisRevocationBusTest.kill(redis().uri(), (RedisRevocationBus) bus);
    }
}
