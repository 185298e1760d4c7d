package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RefreshTokenStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}; every test here then runs against your store.
 *
 * <p>The concurrency tests hold the store to its promises: {@code markUsed} succeeds for exactly
 * one of many racing callers, and a family revocation removes every token inserted before it.
 * Time comes from {@link #clock}; instants are whole milliseconds. Up to 20 threads.
 */
public abstract class RefreshTokenStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Source of the instants the tests store; tests move it instead of sleeping. */
    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected RefreshTokenStore store;

    /** Returns an empty store to test. Called once before each test. */
    protected abstract RefreshTokenStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void insertThenFindReturnsEveryField() {
        Instant now = now();
        RefreshTokenRecord token = new RefreshTokenRecord(newId(), UserId.random(), "family-1", now.minusSeconds(3600),
                now, now.plus(Duration.ofDays(14)), Optional.empty());

        store.insert(token);

        assertThat(store.find(token.id())).contains(token);
    }

    @Test
    void findWhenAbsentThenEmpty() {
        store.insert(token(UserId.random(), "f"));

        assertThat(store.find(newId())).isEmpty();
    }

    @Test
    void markUsedSetsUsedAtOnce() {
        RefreshTokenRecord token = token(UserId.random(), "f");
        store.insert(token);
        Instant used = advance(Duration.ofMinutes(5));

        assertThat(store.markUsed(token.id(), used)).isTrue();
        assertThat(store.markUsed(token.id(), advance(Duration.ofMinutes(1)))).isFalse();

        assertThat(store.find(token.id())).contains(token.withUsedAt(used));
    }

    @Test
    void markUsedWhenAbsentThenFalseAndNothingCreated() {
        TokenDigest id = newId();

        assertThat(store.markUsed(id, now())).isFalse();
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void concurrentMarkUsedSucceedsForExactlyOneCaller() {
        RefreshTokenRecord token = token(UserId.random(), "f");
        store.insert(token);
        Instant base = now();

        List<Boolean> results = Concurrently.run(20, i -> () -> store.markUsed(token.id(), base.plusMillis(i)));

        assertThat(results).containsOnlyOnce(true);
        int winner = results.indexOf(true);
        assertThat(store.find(token.id()).orElseThrow().usedAt()).contains(base.plusMillis(winner));
    }

    @Test
    void deleteFamilyRemovesUsedAndUnusedMembersOnly() {
        UserId user = UserId.random();
        RefreshTokenRecord used = token(user, "family-a");
        RefreshTokenRecord current = token(user, "family-a");
        RefreshTokenRecord otherFamily = token(user, "family-b");
        List.of(used, current, otherFamily).forEach(store::insert);
        store.markUsed(used.id(), now());

        assertThat(store.deleteFamily("family-a")).isEqualTo(2);

        assertThat(store.find(used.id())).isEmpty();
        assertThat(store.find(current.id())).isEmpty();
        assertThat(store.find(otherFamily.id())).contains(otherFamily);
        assertThat(store.deleteFamily("family-a")).isZero();
    }

    @Test
    void deleteFamilyRacingInsertsRemovesEveryTokenInsertedBeforeIt() {
        List<RefreshTokenRecord> tokens = IntStream.range(0, 200).mapToObj(i -> token(UserId.random(), "family-r")).toList();

        List<Integer> removed = Concurrently.run(2, t -> () -> {
            if (t == 0) {
                tokens.forEach(store::insert);
                return 0;
            }
            return store.deleteFamily("family-r");
        });
        int afterwards = store.deleteFamily("family-r");

        assertThat(removed.get(1) + afterwards).isEqualTo(200);
        assertThat(tokens).allSatisfy(tok -> assertThat(store.find(tok.id())).isEmpty());
    }

    @Test
    void deleteAllForUserRemovesOnlyThatUsersTokens() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();
        RefreshTokenRecord a1 = token(alice, "fa1");
        RefreshTokenRecord a2 = token(alice, "fa2");
        RefreshTokenRecord b1 = token(bob, "fb1");
        List.of(a1, a2, b1).forEach(store::insert);

        assertThat(store.deleteAllForUser(alice)).isEqualTo(2);

        assertThat(store.find(a1.id())).isEmpty();
        assertThat(store.find(a2.id())).isEmpty();
        assertThat(store.find(b1.id())).contains(b1);
        assertThat(store.deleteAllForUser(alice)).isZero();
    }

    @Test
    void sqlLookingValuesAreStoredLiterally() {
        RefreshTokenRecord token = new RefreshTokenRecord(newId(), new UserId("' OR '1'='1"), "'; DROP TABLE t; --",
                now(), now(), now().plusSeconds(60), Optional.empty());
        RefreshTokenRecord other = token(UserId.random(), "f");
        store.insert(token);
        store.insert(other);

        assertThat(store.find(token.id())).contains(token);
        assertThat(store.deleteFamily("' OR 1=1 --")).isZero();
        assertThat(store.deleteAllForUser(new UserId("' OR 1=1 --"))).isZero();
        assertThat(store.find(other.id())).contains(other);
    }

    @Test
    void deleteExpiredRemovesTokensExpiringBeforeTheCutoff() {
        Instant now = now();
        RefreshTokenRecord expired = new RefreshTokenRecord(newId(), UserId.random(), "f1", now, now, now.plusSeconds(10),
                Optional.empty());
        RefreshTokenRecord atCutoff = new RefreshTokenRecord(newId(), UserId.random(), "f2", now, now, now.plusSeconds(20),
                Optional.empty());
        RefreshTokenRecord live = new RefreshTokenRecord(newId(), UserId.random(), "f3", now, now, now.plusSeconds(30),
                Optional.empty());
        List.of(expired, atCutoff, live).forEach(store::insert);
        store.markUsed(expired.id(), now);

        assertThat(store.deleteExpired(now.plusSeconds(20))).isEqualTo(1);

        assertThat(store.find(expired.id())).isEmpty();
        assertThat(store.find(atCutoff.id())).contains(atCutoff);
        assertThat(store.find(live.id())).contains(live);
    }

    @Test
    void operationsOnAbsentIdsDoNotFail() {
        assertThatCode(() -> {
            store.deleteFamily("nothing");
            store.deleteAllForUser(UserId.random());
            store.deleteExpired(now());
        }).doesNotThrowAnyException();
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The clock's instant, truncated to milliseconds. */
    protected Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Moves the clock and returns the new instant, truncated to milliseconds. */
    protected Instant advance(Duration amount) {
        clock.advance(amount);
        return now();
    }

    /** The digest of a fresh random 256-bit token, as the core makes refresh-token ids. */
    protected static TokenDigest newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return TokenDigest.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** An unused token issued now, valid for 14 days. */
    protected RefreshTokenRecord token(UserId user, String familyId) {
        return new RefreshTokenRecord(newId(), user, familyId, now(), now(), now().plus(Duration.ofDays(14)),
                Optional.empty());
    }
}
