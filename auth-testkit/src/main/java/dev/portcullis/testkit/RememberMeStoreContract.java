package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RememberMeStore}. Extend it and implement {@link #createStore()}.
 * Instants are whole milliseconds.
 */
public abstract class RememberMeStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));
    protected RememberMeStore store;

    /** A new, empty store; called before each test. */
    protected abstract RememberMeStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    protected RememberMeRecord token(UserId user, String series) {
        Instant now = clock.instant();
        return new RememberMeRecord(random(16).substring(0, 22), TokenDigest.of(random(32)), user, series, now,
                now.plus(Duration.ofDays(30)), null);
    }

    @Test
    void insertThenFindReturnsEveryField() {
        RememberMeRecord token = token(UserId.random(), random(32));
        store.insert(token);
        assertThat(store.find(token.selector())).contains(token);
    }

    @Test
    void findOfUnknownSelectorIsEmpty() {
        assertThat(store.find("AAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(store.find("' OR '1'='1")).isEmpty();
    }

    @Test
    void markReplacedRecordsTheInstantOnce() {
        RememberMeRecord token = token(UserId.random(), random(32));
        store.insert(token);
        Instant at = clock.advance(Duration.ofMinutes(5));

        assertThat(store.markReplaced(token.selector(), at)).isTrue();
        assertThat(store.find(token.selector()).orElseThrow().replacedAt()).isEqualTo(at);
        assertThat(store.markReplaced(token.selector(), at.plusSeconds(1))).isFalse();
        assertThat(store.find(token.selector()).orElseThrow().replacedAt()).isEqualTo(at);
    }

    @Test
    void markReplacedOfAnAbsentTokenIsFalse() {
        assertThat(store.markReplaced("AAAAAAAAAAAAAAAAAAAAAA", clock.instant())).isFalse();
    }

    @Test
    void twentyRacingMarkReplacedCallsHaveExactlyOneWinner() {
        RememberMeRecord token = token(UserId.random(), random(32));
        store.insert(token);
        List<Boolean> results = Concurrently.run(20, i -> () -> store.markReplaced(token.selector(), clock.instant()));
        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void deleteSeriesRemovesEveryTokenOfTheSeriesOnly() {
        UserId user = UserId.random();
        RememberMeRecord a = token(user, "series-a");
        RememberMeRecord a2 = token(user, "series-a");
        RememberMeRecord b = token(user, "series-b");
        store.insert(a);
        store.insert(a2);
        store.insert(b);

        assertThat(store.deleteSeries("series-a")).isEqualTo(2);
        assertThat(store.find(a.selector())).isEmpty();
        assertThat(store.find(a2.selector())).isEmpty();
        assertThat(store.find(b.selector())).isPresent();
        assertThat(store.deleteSeries("series-a")).isZero();
    }

    @Test
    void deleteAllForUserLeavesOtherUsers() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();
        store.insert(token(alice, random(32)));
        store.insert(token(alice, random(32)));
        RememberMeRecord bobs = token(bob, random(32));
        store.insert(bobs);

        assertThat(store.deleteAllForUser(alice)).isEqualTo(2);
        assertThat(store.find(bobs.selector())).isPresent();
    }

    @Test
    void deleteExpiredRemovesOnlyExpiredTokens() {
        RememberMeRecord old = token(UserId.random(), random(32));
        store.insert(old);
        clock.advance(Duration.ofDays(10));
        RememberMeRecord young = token(UserId.random(), random(32));
        store.insert(young);

        assertThat(store.deleteExpired(clock.instant().plus(Duration.ofDays(25)))).isEqualTo(1);
        assertThat(store.find(old.selector())).isEmpty();
        assertThat(store.find(young.selector())).isPresent();
    }
}
