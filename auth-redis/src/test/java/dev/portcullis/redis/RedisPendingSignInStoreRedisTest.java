package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.testkit.PendingSignInStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole {@link PendingSignInStoreContract} against the local Redis, each test under its own key prefix. */
class RedisPendingSignInStoreRedisTest extends PendingSignInStoreContract {

    private static TestRedis redis;
    private String prefix;

    private static TestRedis redis() {
        if (redis == null) {
            redis = TestRedis.connect();
        }
        return redis;
    }

    @Override
    protected PendingSignInStore createStore() {
        prefix = TestRedis.newPrefix();
        return new RedisPendingSignInStore(redis().client(), prefix, Duration.ofMinutes(1));
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
    void redisForgetsARecordShortlyAfterItsLifetimeAndAnAttemptOnAnUnknownHandleCreatesNoKey() {
        PendingSignIn p = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(p);
        String key = prefix + "pending-sign-in:" + p.id().hex();

        long ttl = redis.client().pttl(key);
        assertThat(ttl).isGreaterThan(Duration.ofMinutes(5).toMillis())
                .isLessThanOrEqualTo(Duration.ofMinutes(6).toMillis());
        assertThat(redis.client().hgetAll(key)).doesNotContainValue(p.id().hex());

        store.consume(p.id());
        store.recordAttempt(p.id());
        assertThat(redis.keys(prefix)).isEmpty();
    }

    @Test
    void graceIsChecked() {
        assertThatThrownBy(() -> new RedisPendingSignInStore(redis().client(), "p:", Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace");
    }
}
