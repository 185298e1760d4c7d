package dev.portcullis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.Stores;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What {@link RedisStores#on} moves to Redis and what it leaves where it was. */
class RedisStoresRedisTest {

    private static TestRedis redis;

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

    @Test
    void withSecondFactorsThePendingSignInsMoveToRedisAndTheEnrolmentsStay() {
        InMemorySecondFactorStore enrolments = new InMemorySecondFactorStore();
        Stores base = InMemoryStores.create().withSecondFactors(enrolments, new InMemoryPendingSignInStore());

        Stores stores = RedisStores.on(base, redis().client(), TestRedis.newPrefix(), SessionPolicy.defaults(),
                ThrottlePolicy.defaults());

        assertThat(stores.sessions()).isInstanceOf(RedisSessionStore.class);
        assertThat(stores.attempts()).isInstanceOf(RedisAttemptStore.class);
        assertThat(stores.rememberMe()).containsInstanceOf(RedisRememberMeStore.class);
        assertThat(stores.pendingSignIns()).containsInstanceOf(RedisPendingSignInStore.class);
        assertThat(stores.secondFactors()).containsSame(enrolments);
        assertThat(stores.users()).isSameAs(base.users());
    }

    @Test
    void withoutSecondFactorsNoneAreAdded() {
        Stores stores = RedisStores.on(InMemoryStores.create(), redis().client(), TestRedis.newPrefix(),
                SessionPolicy.defaults(), ThrottlePolicy.defaults());

        assertThat(stores.pendingSignIns()).isEmpty();
        assertThat(stores.secondFactors()).isEmpty();
    }
}
