package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.spi.PasskeyChallenge;
import dev.portcullis.spi.PasskeyChallengeStore;
import dev.portcullis.testkit.PasskeyChallengeStoreContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole {@link PasskeyChallengeStoreContract} against the local Redis, each test under its own key prefix. */
class RedisPasskeyChallengeStoreRedisTest extends PasskeyChallengeStoreContract {

    private static TestRedis redis;
    private String prefix;

    private static TestRedis redis() {
        if (redis == null) {
            redis = TestRedis.connect();
        }
        return redis;
    }

    @Override
    protected PasskeyChallengeStore createStore() {
        prefix = TestRedis.newPrefix();
        return new RedisPasskeyChallengeStore(redis().client(), prefix);
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
    void redisKeepsAChallengeForItsLifetimePlusAMinuteAndAnExpiredConsumeLeavesNoKey() {
        PasskeyChallenge c = challenge(PasskeyChallenge.Purpose.SIGN_IN, Optional.empty(), Optional.empty());
        store.insert(c);
        String key = prefix + "passkey-challenge:" + c.digest().hex();

        assertThat(redis.client().pttl(key)).isGreaterThan(PasskeySettings.CHALLENGE_LIFETIME.toMillis())
                .isLessThanOrEqualTo(PasskeySettings.CHALLENGE_LIFETIME.plusMinutes(1).toMillis());

        assertThat(store.consume(c.digest(), c.expiresAt())).isEmpty();
        assertThat(redis.keys(prefix)).isEmpty();
    }

    @Test
    void aRetentionShorterThanTheChallengeLifetimeIsRefused() {
        assertThatThrownBy(() -> new RedisPasskeyChallengeStore(redis().client(), "p:", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("challenge lifetime");
    }
}
