package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.testkit.AttemptStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole {@link AttemptStoreContract} against the local Redis, each test under its own key prefix. */
class RedisAttemptStoreRedisTest extends AttemptStoreContract {

    private static TestRedis redis;
    private String prefix;

    private static TestRedis redis() {
        if (redis == null) {
            redis = TestRedis.connect();
        }
        return redis;
    }

    @Override
    protected AttemptStore createStore() {
        prefix = TestRedis.newPrefix();
        return new RedisAttemptStore(redis().client(), prefix, Duration.ofHours(24));
    }

    @AfterEach
    void deleteKeys() {
        if (redis != null && prefix != null) {
            redis.deleteKeys(prefix);
        }
    }

    @AfterAll
    static void closeClient() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyCounterCarriesTheRetentionAsTimeToLive() {
        store.recordFailure("acct:x", now(), now().minusSeconds(60));

        assertThat(redis.client().pttl(prefix + "attempts:acct:x"))
                .isBetween(Duration.ofHours(24).minusMinutes(1).toMillis(), Duration.ofHours(24).toMillis());
    }

    @Test
    void retentionAndPrefixAreValidated() {
        assertThatThrownBy(() -> new RedisAttemptStore(redis.client(), "bad prefix*", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> new RedisAttemptStore(redis.client(), "ok:", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }
}
