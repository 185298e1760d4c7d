package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.testkit.RememberMeStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole {@link RememberMeStoreContract} against the local Redis, each test under its own key prefix. */
class RedisRememberMeStoreRedisTest extends RememberMeStoreContract {

    private static TestRedis redis;
    private String prefix;

    private static TestRedis redis() {
        if (redis == null) {
            redis = TestRedis.connect();
        }
        return redis;
    }

    @Override
    protected RememberMeStore createStore() {
        prefix = TestRedis.newPrefix();
        return new RedisRememberMeStore(redis().client(), prefix, Duration.ofDays(1));
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
    void deletesLeaveNoIndexBehindAndKeysHoldNoValidator() {
        UserId alice = UserId.random();
        RememberMeRecord token = token(alice, "series-1");
        store.insert(token);

        assertThat(redis.client().hgetAll(prefix + "remember-me:" + token.selector()))
                .containsEntry("validatorHash", token.validatorHash().hex());
        assertThat(redis.client().pttl(prefix + "remember-me:" + token.selector()))
                .isGreaterThan(Duration.ofDays(30).toMillis());

        assertThat(store.deleteAllForUser(alice)).isEqualTo(1);

        assertThat(redis.keys(prefix)).isEmpty();
    }
}
