package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SessionStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}; every test here then runs against your store.
 *
 * <p>Time comes from {@link #clock}, a {@link MutableClock}; instants are whole milliseconds.
 * Concurrency tests start up to 20 threads.
 */
public abstract class SessionStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Source of the instants the tests store; tests move it instead of sleeping. */
    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected SessionStore store;

    /**
     * Returns the store to test. Called once before each test. The store must be empty (return a
     * new one or clean the shared storage first): some tests count what housekeeping removes.
     */
    protected abstract SessionStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    // ---- round trips -------------------------------------------------------------------------

    @Test
    void insertThenFindReturnsEveryField() {
        Instant created = now();
        SessionRecord session = new SessionRecord(newId(), UserId.random(), created, created.plusSeconds(30),
                "2001:db8::1");

        store.insert(session);

        assertThat(store.find(session.id())).contains(session);
    }

    @Test
    void proofsRoundTripAndRecordProofsSetsOnlyWhatItIsGiven() {
        Instant created = now();
        SessionRecord session = new SessionRecord(newId(), UserId.random(), created, created, "192.0.2.7", created,
                null);
        store.insert(session);
        assertThat(store.find(session.id())).contains(session);

        Instant later = created.plusSeconds(90);
        store.recordProofs(session.id(), null, later);
        assertThat(store.find(session.id()).orElseThrow().passwordAt()).isEqualTo(created);
        assertThat(store.find(session.id()).orElseThrow().secondFactorAt()).isEqualTo(later);
        store.recordProofs(session.id(), later.plusSeconds(1), null);
        assertThat(store.find(session.id()).orElseThrow().passwordAt()).isEqualTo(later.plusSeconds(1));
        assertThat(store.find(session.id()).orElseThrow().secondFactorAt()).isEqualTo(later);
        assertThatCode(() -> store.recordProofs(newId(), later, later)).doesNotThrowAnyException();
    }

    @Test
    void aSessionWithoutProofsReadsBackWithout() {
        SessionRecord session = session(UserId.random(), "192.0.2.8");
        store.insert(session);

        assertThat(store.find(session.id()).orElseThrow().passwordProvenAt()).isEmpty();
        assertThat(store.find(session.id()).orElseThrow().secondFactorProvenAt()).isEmpty();
    }

    @Test
    void emptyClientAddressRoundTrips() {
        SessionRecord session = session(UserId.random(), "");
        store.insert(session);

        assertThat(store.find(session.id()).orElseThrow().clientAddress()).isEmpty();
    }

    @Test
    void sqlLookingClientAddressAndUserIdAreStoredLiterally() {
        SessionRecord session = new SessionRecord(newId(), new UserId("' OR '1'='1"), now(), now(),
                "' OR '1'='1; DROP TABLE sessions; --");
        SessionRecord other = session(UserId.random(), "192.0.2.1");
        store.insert(session);
        store.insert(other);

        assertThat(store.find(session.id())).contains(session);
        assertThat(store.findAllForUser(new UserId("' OR '1'='1"))).containsExactly(session);
        assertThat(store.deleteAllForUser(new UserId("' OR 1=1 --"))).isZero();
        assertThat(store.find(other.id())).contains(other);
    }

    @Test
    void findWhenAbsentThenEmpty() {
        store.insert(session(UserId.random(), "192.0.2.1"));

        assertThat(store.find(newId())).isEmpty();
    }

    // ---- touch -------------------------------------------------------------------------------

    @Test
    void touchMovesLastSeenForward() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);
        Instant later = advance(Duration.ofMinutes(5));

        store.touch(session.id(), later);

        assertThat(store.find(session.id())).contains(session.withLastSeenAt(later));
    }

    @Test
    void touchWithAnEarlierInstantThenUnchanged() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);
        Instant later = advance(Duration.ofMinutes(5));
        store.touch(session.id(), later);

        store.touch(session.id(), later.minusSeconds(60));
        store.touch(session.id(), session.createdAt());

        assertThat(store.find(session.id()).orElseThrow().lastSeenAt()).isEqualTo(later);
    }

    @Test
    void touchWhenAbsentThenNothingIsCreated() {
        TokenDigest id = newId();

        assertThatCode(() -> store.touch(id, now())).doesNotThrowAnyException();

        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void concurrentTouchesKeepTheLatestInstant() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);
        Instant base = now();

        Concurrently.run(20, i -> () -> {
            store.touch(session.id(), base.plusMillis(1000L * ((i * 7) % 20 + 1)));
            return null;
        });

        assertThat(store.find(session.id()).orElseThrow().lastSeenAt()).isEqualTo(base.plusMillis(20_000));
    }

    // ---- delete ------------------------------------------------------------------------------

    @Test
    void deleteThenGone() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        SessionRecord other = session(session.userId(), "192.0.2.2");
        store.insert(session);
        store.insert(other);

        assertThat(store.delete(session.id())).isTrue();

        assertThat(store.find(session.id())).isEmpty();
        assertThat(store.find(other.id())).contains(other);
    }

    @Test
    void deleteWhenAbsentThenFalse() {
        assertThat(store.delete(newId())).isFalse();
    }

    @Test
    void concurrentDeletesOfOneSessionThenExactlyOneTrue() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);

        List<Boolean> results = Concurrently.run(20, i -> () -> store.delete(session.id()));

        assertThat(results).containsOnlyOnce(true);
        assertThat(store.find(session.id())).isEmpty();
    }

    @Test
    void touchRacingDeleteNeverBringsTheSessionBack() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);
        Instant base = now();

        List<Boolean> results = Concurrently.run(20, i -> () -> {
            if (i == 10) {
                return store.delete(session.id());
            }
            store.touch(session.id(), base.plusSeconds(i + 1));
            return false;
        });

        assertThat(results.get(10)).isTrue();
        assertThat(store.find(session.id())).isEmpty();
        assertThat(store.findAllForUser(session.userId())).isEmpty();
    }

    @Test
    void deleteAllForUserRemovesOnlyThatUsersSessions() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();
        SessionRecord a1 = session(alice, "192.0.2.1");
        SessionRecord a2 = session(alice, "192.0.2.2");
        SessionRecord b1 = session(bob, "192.0.2.3");
        List.of(a1, a2, b1).forEach(store::insert);

        assertThat(store.deleteAllForUser(alice)).isEqualTo(2);

        assertThat(store.find(a1.id())).isEmpty();
        assertThat(store.find(a2.id())).isEmpty();
        assertThat(store.find(b1.id())).contains(b1);
        assertThat(store.deleteAllForUser(alice)).isZero();
        assertThat(store.deleteAllForUser(UserId.random())).isZero();
    }

    @Test
    void deleteAllForUserWhileItsSessionsAreTouchedRemovesEveryOne() {
        UserId user = UserId.random();
        List<SessionRecord> sessions = IntStream.range(0, 100).mapToObj(i -> session(user, "192.0.2.1")).toList();
        sessions.forEach(store::insert);
        AtomicBoolean deleted = new AtomicBoolean();
        Instant base = now();

        List<Integer> removed = Concurrently.run(5, t -> () -> {
            if (t == 0) {
                int n = store.deleteAllForUser(user);
                deleted.set(true);
                return n;
            }
            for (int round = 1; !deleted.get() && round < 1_000; round++) {
                for (SessionRecord s : sessions) {
                    store.touch(s.id(), base.plusMillis(round * 10L + t));
                }
            }
            return 0;
        });

        assertThat(removed.get(0)).isEqualTo(100);
        assertThat(store.findAllForUser(user)).isEmpty();
        assertThat(sessions).allSatisfy(s -> assertThat(store.find(s.id())).isEmpty());
    }

    @Test
    void deleteAllForUserExceptKeepsOnlyTheGivenSession() {
        UserId alice = UserId.random();
        SessionRecord keep = session(alice, "192.0.2.1");
        SessionRecord drop1 = session(alice, "192.0.2.2");
        SessionRecord drop2 = session(alice, "192.0.2.3");
        SessionRecord bob = session(UserId.random(), "192.0.2.4");
        List.of(keep, drop1, drop2, bob).forEach(store::insert);

        assertThat(store.deleteAllForUserExcept(alice, keep.id())).isEqualTo(2);

        assertThat(store.findAllForUser(alice)).containsExactly(keep);
        assertThat(store.find(bob.id())).contains(bob);
    }

    @Test
    void deleteAllForUserExceptAnotherUsersSessionRemovesAllAndKeepsTheOther() {
        UserId alice = UserId.random();
        SessionRecord a1 = session(alice, "192.0.2.1");
        SessionRecord bob = session(UserId.random(), "192.0.2.4");
        store.insert(a1);
        store.insert(bob);

        assertThat(store.deleteAllForUserExcept(alice, bob.id())).isEqualTo(1);

        assertThat(store.find(a1.id())).isEmpty();
        assertThat(store.find(bob.id())).contains(bob);
    }

    // ---- listing -----------------------------------------------------------------------------

    @Test
    void findAllForUserReturnsNewestFirst() {
        UserId user = UserId.random();
        SessionRecord oldest = session(user, "192.0.2.1");
        advance(Duration.ofMinutes(1));
        SessionRecord middle = session(user, "192.0.2.2");
        advance(Duration.ofMinutes(1));
        SessionRecord newest = session(user, "192.0.2.3");
        store.insert(middle);
        store.insert(newest);
        store.insert(oldest);
        store.insert(session(UserId.random(), "192.0.2.9"));

        assertThat(store.findAllForUser(user)).containsExactly(newest, middle, oldest);
    }

    @Test
    void findAllForUserWhenNoneThenEmpty() {
        store.insert(session(UserId.random(), "192.0.2.9"));

        assertThat(store.findAllForUser(UserId.random())).isEmpty();
    }

    // ---- housekeeping ------------------------------------------------------------------------

    @Test
    void deleteExpiredRemovesIdleAndTooOldSessionsOnly() {
        Instant start = now();
        SessionRecord idle = new SessionRecord(newId(), UserId.random(), start, start, "idle");
        SessionRecord tooOld = new SessionRecord(newId(), UserId.random(), start, start.plus(Duration.ofHours(10)), "old");
        SessionRecord fresh = new SessionRecord(newId(), UserId.random(), start.plus(Duration.ofHours(2)),
                start.plus(Duration.ofHours(10)), "fresh");
        SessionRecord atCutoffs = new SessionRecord(newId(), UserId.random(), start.plus(Duration.ofHours(1)),
                start.plus(Duration.ofHours(9)), "edge");
        List.of(idle, tooOld, fresh, atCutoffs).forEach(store::insert);

        int removed = store.deleteExpired(start.plus(Duration.ofHours(9)), start.plus(Duration.ofHours(1)));

        assertThat(removed).isEqualTo(2);
        assertThat(store.find(idle.id())).isEmpty();
        assertThat(store.find(tooOld.id())).isEmpty();
        assertThat(store.find(fresh.id())).contains(fresh);
        assertThat(store.find(atCutoffs.id())).contains(atCutoffs);
        assertThat(store.deleteExpired(start.plus(Duration.ofHours(9)), start.plus(Duration.ofHours(1)))).isZero();
    }

    @Test
    void deleteExpiredHonoursTouches() {
        SessionRecord session = session(UserId.random(), "192.0.2.1");
        store.insert(session);
        Instant later = advance(Duration.ofMinutes(30));
        store.touch(session.id(), later);

        assertThat(store.deleteExpired(later.minusSeconds(1), session.createdAt())).isZero();
        assertThat(store.find(session.id())).isPresent();
        assertThat(store.deleteExpired(later.plusMillis(1), session.createdAt())).isEqualTo(1);
        assertThat(store.find(session.id())).isEmpty();
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

    /** The digest of a fresh random token, as the core makes session ids. */
    protected static TokenDigest newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new SessionToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).digest();
    }

    /** A session created and last seen now. */
    protected SessionRecord session(UserId user, String clientAddress) {
        return new SessionRecord(newId(), user, now(), now(), clientAddress);
    }
}
