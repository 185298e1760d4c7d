package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ApiKeyStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}; every test here then runs against your store. Time comes from
 * {@link #clock}; instants are whole milliseconds. Up to 20 threads.
 */
public abstract class ApiKeyStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Source of the instants the tests store; tests move it instead of sleeping. */
    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected ApiKeyStore store;

    /** Returns an empty store to test. Called once before each test. */
    protected abstract ApiKeyStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void insertThenFindReturnsEveryField() {
        ApiKeyRecord key = new ApiKeyRecord(newDigest(), "id-1", UserId.random(), "deploy script ✓",
                Set.of("repo:read", "repo:write"), now(), now().plus(Duration.ofDays(30)), Optional.of(now()));

        store.insert(key);

        assertThat(store.findByDigest(key.digest())).contains(key);
    }

    @Test
    void emptyScopesAndNeverUsedRoundTrip() {
        ApiKeyRecord key = key(UserId.random(), "k");
        store.insert(key);

        ApiKeyRecord found = store.findByDigest(key.digest()).orElseThrow();
        assertThat(found.scopes()).isEmpty();
        assertThat(found.lastUsedAt()).isEmpty();
    }

    @Test
    void findWhenAbsentThenEmpty() {
        store.insert(key(UserId.random(), "k"));

        assertThat(store.findByDigest(newDigest())).isEmpty();
    }

    @Test
    void findAllForUserReturnsNewestFirst() {
        UserId user = UserId.random();
        ApiKeyRecord oldest = key(user, "a");
        advance(Duration.ofMinutes(1));
        ApiKeyRecord middle = key(user, "b");
        advance(Duration.ofMinutes(1));
        ApiKeyRecord newest = key(user, "c");
        List.of(middle, newest, oldest).forEach(store::insert);
        store.insert(key(UserId.random(), "other"));

        assertThat(store.findAllForUser(user)).containsExactly(newest, middle, oldest);
        assertThat(store.findAllForUser(UserId.random())).isEmpty();
    }

    @Test
    void touchMovesLastUsedForwardOnly() {
        ApiKeyRecord key = key(UserId.random(), "k");
        store.insert(key);
        Instant later = advance(Duration.ofMinutes(5));

        store.touch(key.digest(), later);
        store.touch(key.digest(), later.minusSeconds(60));

        assertThat(store.findByDigest(key.digest())).contains(key.withLastUsedAt(later));
    }

    @Test
    void concurrentTouchesKeepTheLatestInstant() {
        ApiKeyRecord key = key(UserId.random(), "k");
        store.insert(key);
        Instant base = now();

        Concurrently.run(20, i -> () -> {
            store.touch(key.digest(), base.plusMillis(1000L * ((i * 7) % 20 + 1)));
            return null;
        });

        assertThat(store.findByDigest(key.digest()).orElseThrow().lastUsedAt()).contains(base.plusMillis(20_000));
    }

    @Test
    void touchWhenAbsentThenNothingIsCreated() {
        TokenDigest digest = newDigest();

        assertThatCode(() -> store.touch(digest, now())).doesNotThrowAnyException();
        assertThat(store.findByDigest(digest)).isEmpty();
    }

    @Test
    void deleteRemovesOnlyTheOwnersKey() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();
        ApiKeyRecord key = key(alice, "k");
        store.insert(key);

        assertThat(store.delete(bob, key.id())).isFalse();
        assertThat(store.findByDigest(key.digest())).isPresent();

        assertThat(store.delete(alice, key.id())).isTrue();
        assertThat(store.findByDigest(key.digest())).isEmpty();
        assertThat(store.delete(alice, key.id())).isFalse();
    }

    @Test
    void touchRacingDeleteNeverBringsTheKeyBack() {
        ApiKeyRecord key = key(UserId.random(), "k");
        store.insert(key);
        Instant base = now();

        List<Boolean> results = Concurrently.run(20, i -> () -> {
            if (i == 10) {
                return store.delete(key.userId(), key.id());
            }
            store.touch(key.digest(), base.plusSeconds(i + 1));
            return false;
        });

        assertThat(results.get(10)).isTrue();
        assertThat(store.findByDigest(key.digest())).isEmpty();
        assertThat(store.findAllForUser(key.userId())).isEmpty();
    }

    @Test
    void deleteAllForUserRemovesOnlyThatUsersKeys() {
        UserId alice = UserId.random();
        ApiKeyRecord a1 = key(alice, "a1");
        ApiKeyRecord a2 = key(alice, "a2");
        ApiKeyRecord b1 = key(UserId.random(), "b1");
        List.of(a1, a2, b1).forEach(store::insert);

        assertThat(store.deleteAllForUser(alice)).isEqualTo(2);

        assertThat(store.findAllForUser(alice)).isEmpty();
        assertThat(store.findByDigest(b1.digest())).contains(b1);
    }

    @Test
    void sqlLookingValuesAreStoredLiterally() {
        ApiKeyRecord key = new ApiKeyRecord(newDigest(), "' OR '1'='1", new UserId("' OR '1'='1"), "'; DROP TABLE k; --",
                Set.of("' OR 1=1"), now(), now().plusSeconds(60), Optional.empty());
        ApiKeyRecord other = key(UserId.random(), "k");
        store.insert(key);
        store.insert(other);

        assertThat(store.findByDigest(key.digest())).contains(key);
        assertThat(store.delete(new UserId("' OR 1=1 --"), "' OR 1=1 --")).isFalse();
        assertThat(store.findByDigest(other.digest())).contains(other);
    }

    @Test
    void deleteExpiredRemovesKeysExpiringBeforeTheCutoff() {
        Instant now = now();
        ApiKeyRecord expired = withExpiry(now.plusSeconds(10));
        ApiKeyRecord atCutoff = withExpiry(now.plusSeconds(20));
        ApiKeyRecord live = withExpiry(now.plusSeconds(30));
        List.of(expired, atCutoff, live).forEach(store::insert);

        assertThat(store.deleteExpired(now.plusSeconds(20))).isEqualTo(1);

        assertThat(store.findByDigest(expired.digest())).isEmpty();
        assertThat(store.findByDigest(atCutoff.digest())).contains(atCutoff);
        assertThat(store.findByDigest(live.digest())).contains(live);
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

    /** The digest of a fresh random key, as the core makes them. */
    protected static TokenDigest newDigest() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return TokenDigest.of("pcl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** A never-used key created now, valid for 30 days, with a random public id. */
    protected ApiKeyRecord key(UserId user, String name) {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return new ApiKeyRecord(newDigest(), Base64.getUrlEncoder().withoutPadding().encodeToString(id), user, name,
                Set.of(), now(), now().plus(Duration.ofDays(30)), Optional.empty());
    }

    private ApiKeyRecord withExpiry(Instant expiresAt) {
        ApiKeyRecord k = key(UserId.random(), "k");
        return new ApiKeyRecord(k.digest(), k.id(), k.userId(), k.name(), k.scopes(), k.createdAt(), expiresAt,
                Optional.empty());
    }
}
