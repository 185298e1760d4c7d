package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AttemptStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}; every test here then runs against your store.
 *
 * <p>Keys in these tests look like the core's ({@code "acct:"} + 64 hex digits) plus a few hostile
 * ones; time comes from {@link #clock}, a {@link MutableClock}, in whole milliseconds.
 */
public abstract class AttemptStoreContract {

    /** Source of the instants the tests store; tests move it instead of sleeping. */
    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.500Z"));

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected AttemptStore store;

    /**
     * Returns the store to test. Called once before each test. The store must be empty (return a
     * new one or clean the shared storage first): some tests count what housekeeping removes.
     */
    protected abstract AttemptStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void firstFailureStartsAWindowOfOne() {
        String key = newKey();
        Instant now = now();

        Attempts recorded = store.recordFailure(key, now, now.minus(Duration.ofMinutes(15)));

        assertThat(recorded).isEqualTo(new Attempts(1, now, now));
        assertThat(store.find(key)).contains(recorded);
    }

    @Test
    void failureWithinTheWindowCountsUpAndKeepsTheWindowStart() {
        String key = newKey();
        Instant first = now();
        store.recordFailure(key, first, first.minus(Duration.ofMinutes(15)));
        Instant second = advance(Duration.ofSeconds(10));

        Attempts recorded = store.recordFailure(key, second, second.minus(Duration.ofMinutes(15)));

        assertThat(recorded).isEqualTo(new Attempts(2, first, second));
        assertThat(store.find(key)).contains(recorded);
    }

    @Test
    void failureAfterTheWindowStartsANewWindow() {
        String key = newKey();
        Instant first = now();
        store.recordFailure(key, first, first.minus(Duration.ofMinutes(15)));
        store.recordFailure(key, advance(Duration.ofMinutes(1)), now().minus(Duration.ofMinutes(15)));
        Instant later = advance(Duration.ofMinutes(20));

        Attempts recorded = store.recordFailure(key, later, later.minus(Duration.ofMinutes(15)));

        assertThat(recorded).isEqualTo(new Attempts(1, later, later));
        assertThat(store.find(key)).contains(recorded);
    }

    @Test
    void windowStartingExactlyAtResetBeforeIsKept() {
        String key = newKey();
        Instant first = now();
        store.recordFailure(key, first, first.minus(Duration.ofMinutes(15)));
        Instant later = advance(Duration.ofMinutes(15));

        Attempts recorded = store.recordFailure(key, later, first);

        assertThat(recorded).isEqualTo(new Attempts(2, first, later));
    }

    @Test
    void keysAreCountedIndependently() {
        String a = newKey();
        String b = newKey();
        Instant now = now();

        store.recordFailure(a, now, now.minusSeconds(60));
        store.recordFailure(a, now, now.minusSeconds(60));
        store.recordFailure(b, now, now.minusSeconds(60));

        assertThat(store.find(a)).map(Attempts::failures).contains(2);
        assertThat(store.find(b)).map(Attempts::failures).contains(1);
    }

    @Test
    void concurrentFailuresOnOneKeyAreAllCounted() {
        String key = newKey();
        Instant now = now();

        List<Attempts> results = Concurrently.run(20,
                i -> () -> store.recordFailure(key, now.plusMillis(i), now.minus(Duration.ofMinutes(15))));

        assertThat(store.find(key).orElseThrow().failures()).isEqualTo(20);
        assertThat(results).extracting(Attempts::failures)
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
        assertThat(store.find(key).orElseThrow().windowStart()).isBetween(now, now.plusMillis(19));
    }

    @Test
    void concurrentFailuresOnManyKeysAreAllCounted() {
        List<String> keys = IntStream.range(0, 4).mapToObj(i -> newKey()).toList();
        Instant now = now();

        Concurrently.run(20, i -> () -> store.recordFailure(keys.get(i % 4), now, now.minusSeconds(60)));

        assertThat(keys).allSatisfy(k -> assertThat(store.find(k).orElseThrow().failures()).isEqualTo(5));
    }

    @Test
    void findWhenAbsentThenEmpty() {
        store.recordFailure(newKey(), now(), now().minusSeconds(60));

        assertThat(store.find(newKey())).isEmpty();
    }

    @Test
    void findAllReturnsTheEntriesOfTheKeysThatHaveOne() {
        String twice = newKey();
        String once = newKey();
        String absent = newKey();
        String notAsked = newKey();
        Instant now = now();
        store.recordFailure(twice, now, now.minusSeconds(60));
        Attempts second = store.recordFailure(twice, now.plusMillis(5), now.minusSeconds(60));
        Attempts first = store.recordFailure(once, now, now.minusSeconds(60));
        store.recordFailure(notAsked, now, now.minusSeconds(60));

        Map<String, Attempts> found = store.findAll(List.of(twice, absent, once));

        assertThat(found).containsOnly(entry(twice, second), entry(once, first));
        assertThat(found.get(twice)).isEqualTo(store.find(twice).orElseThrow());
    }

    @Test
    void findAllWhenNoKeyHasAnEntryThenEmpty() {
        store.recordFailure(newKey(), now(), now().minusSeconds(60));

        assertThat(store.findAll(List.of(newKey(), newKey()))).isEmpty();
    }

    @Test
    void findAllOfNoKeysIsEmpty() {
        store.recordFailure(newKey(), now(), now().minusSeconds(60));

        assertThat(store.findAll(List.of())).isEmpty();
    }

    @Test
    void findAllOfAKeyGivenTwiceHoldsItOnce() {
        String key = newKey();
        Attempts recorded = store.recordFailure(key, now(), now().minusSeconds(60));

        assertThat(store.findAll(List.of(key, key))).containsOnly(entry(key, recorded));
    }

    @Test
    void findAllTakesKeysLiterally() {
        String hostile = "' OR '1'='1";
        Attempts recorded = store.recordFailure(hostile, now(), now().minusSeconds(60));
        store.recordFailure("acct:%", now(), now().minusSeconds(60));

        assertThat(store.findAll(List.of(hostile, "acct:_", "' OR 1=1 --"))).containsOnly(entry(hostile, recorded));
    }

    @Test
    void clearForgetsTheKeyOnly() {
        String key = newKey();
        String other = newKey();
        store.recordFailure(key, now(), now().minusSeconds(60));
        store.recordFailure(other, now(), now().minusSeconds(60));

        store.clear(key);

        assertThat(store.find(key)).isEmpty();
        assertThat(store.find(other)).isPresent();
        Attempts again = store.recordFailure(key, advance(Duration.ofSeconds(1)), now().minusSeconds(60));
        assertThat(again).isEqualTo(new Attempts(1, now(), now()));
    }

    @Test
    void clearWhenAbsentThenNothingHappens() {
        assertThatCode(() -> store.clear(newKey())).doesNotThrowAnyException();
    }

    @Test
    void releaseTakesBackOneFailureAndKeepsTheWindow() {
        String key = newKey();
        String other = newKey();
        Instant first = now();
        store.recordFailure(key, first, first.minusSeconds(60));
        store.recordFailure(key, first, first.minusSeconds(60));
        Instant last = advance(Duration.ofSeconds(5));
        store.recordFailure(key, last, first.minusSeconds(60));
        store.recordFailure(other, last, first.minusSeconds(60));

        store.release(key);

        assertThat(store.find(key)).contains(new Attempts(2, first, last));
        assertThat(store.findAll(List.of(key, other))).containsOnly(entry(key, new Attempts(2, first, last)),
                entry(other, new Attempts(1, last, last)));
    }

    @Test
    void releaseOfTheLastFailureLeavesNoEntryAndTheNextFailureCountsOne() {
        String key = newKey();
        Instant start = now();
        store.recordFailure(key, start, start.minusSeconds(60));

        store.release(key);
        store.release(key);

        assertThat(store.find(key)).isEmpty();
        assertThat(store.findAll(List.of(key))).isEmpty();
        Instant later = advance(Duration.ofSeconds(1));
        Attempts again = store.recordFailure(key, later, later.minusSeconds(60));
        assertThat(again.failures()).as("never below zero").isEqualTo(1);
        assertThat(again.lastFailureAt()).isEqualTo(later);
        assertThat(again.windowStart()).as("a new window, or the old one going on").isBetween(start, later);
    }

    @Test
    void releaseWhenAbsentThenNothingHappens() {
        String key = newKey();

        assertThatCode(() -> store.release(key)).doesNotThrowAnyException();

        assertThat(store.find(key)).isEmpty();
    }

    @Test
    void concurrentFailuresAndReleasesOnOneKeyLoseNothing() {
        String key = newKey();
        Instant now = now();
        for (int i = 0; i < 10; i++) {
            store.recordFailure(key, now, now.minus(Duration.ofMinutes(15)));
        }

        Concurrently.run(20, i -> () -> {
            if (i % 2 == 0) {
                store.recordFailure(key, now, now.minus(Duration.ofMinutes(15)));
            } else {
                store.release(key);
            }
            return null;
        });

        assertThat(store.find(key).orElseThrow().failures()).isEqualTo(10);
    }

    @Test
    void deleteOlderThanRemovesEntriesWhoseLastFailureIsBeforeTheCutoff() {
        String old = newKey();
        String edge = newKey();
        String recent = newKey();
        Instant start = now();
        store.recordFailure(old, start, start.minusSeconds(60));
        Instant cutoff = advance(Duration.ofMinutes(10));
        store.recordFailure(edge, cutoff, cutoff.minusSeconds(60));
        store.recordFailure(recent, start, start.minusSeconds(60));
        store.recordFailure(recent, advance(Duration.ofMinutes(1)), start.minusSeconds(60));

        assertThat(store.deleteOlderThan(cutoff)).isEqualTo(1);

        assertThat(store.find(old)).isEmpty();
        assertThat(store.find(edge)).isPresent();
        assertThat(store.find(recent)).isPresent();
        assertThat(store.deleteOlderThan(cutoff)).isZero();
    }

    @Test
    void sqlLookingAndUnicodeKeysAreStoredLiterally() {
        String hostile = "' OR '1'='1";
        String wildcard = "acct:%";
        String unicode = "addr:Jörg-\u00e9-\u4e2d";
        Instant now = now();
        store.recordFailure(hostile, now, now.minusSeconds(60));
        store.recordFailure(unicode, now, now.minusSeconds(60));
        store.recordFailure(unicode, now, now.minusSeconds(60));

        assertThat(store.find(hostile)).map(Attempts::failures).contains(1);
        assertThat(store.find(unicode)).map(Attempts::failures).contains(2);
        assertThat(store.find(wildcard)).isEmpty();
        assertThat(store.find("' OR 1=1 --")).isEmpty();
        store.clear(wildcard);
        assertThat(store.find(hostile)).isPresent();
    }

    @Test
    void recordFailuresCountsEachKeyWithItsOwnWindow() {
        String account = newKey();
        String address = newKey();
        Instant start = now();
        store.recordFailures(Map.of(account, start.minusSeconds(60), address, start.minusSeconds(60)), start);
        Instant later = advance(Duration.ofMinutes(10));

        // the account's window (15 min) goes on; the address's (5 min) is over and starts again
        Map<String, Attempts> counted = store.recordFailures(Map.of(account, later.minus(Duration.ofMinutes(15)),
                address, later.minus(Duration.ofMinutes(5))), later);

        assertThat(counted).containsOnly(entry(account, new Attempts(2, start, later)),
                entry(address, new Attempts(1, later, later)));
        assertThat(store.findAll(List.of(account, address))).isEqualTo(counted);
        assertThat(store.recordFailures(Map.of(), later)).isEmpty();
    }

    @Test
    void twentyRacingRecordFailuresOnTwoKeysGetDistinctCountsOnEach() {
        String account = newKey();
        String address = "addr:" + TokenDigest.of(UUID.randomUUID().toString()).hex();
        String other = newKey();
        Instant now = now();
        Instant reset = now.minus(Duration.ofMinutes(15));

        // as parallel guesses on one account from one address, with single-key failures racing them
        List<Map<String, Attempts>> results = Concurrently.run(20, i -> () -> i % 5 == 4
                ? Map.of(address, store.recordFailure(address, now, reset))
                : store.recordFailures(Map.of(account, reset, address, reset, other, reset), now));

        List<Integer> accountCounts = results.stream().filter(r -> r.containsKey(account))
                .map(r -> r.get(account).failures()).toList();
        assertThat(accountCounts).as("each reservation its own count: none can overshoot the budget")
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 16).boxed().toList());
        assertThat(results).extracting(r -> r.get(address).failures())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
        assertThat(store.findAll(List.of(account, address, other))).containsOnly(
                entry(account, new Attempts(16, now, now)), entry(address, new Attempts(20, now, now)),
                entry(other, new Attempts(16, now, now)));
    }

    @Test
    void clearAndReleaseForgetsOneKeyAndTakesBackOneFailureOfTheOthers() {
        String account = newKey();
        String address = newKey();
        String untouched = newKey();
        Instant start = now();
        for (int i = 0; i < 3; i++) {
            store.recordFailures(Map.of(account, start.minusSeconds(60), address, start.minusSeconds(60),
                    untouched, start.minusSeconds(60)), start);
        }

        store.clearAndRelease(account, List.of(address));

        assertThat(store.find(account)).isEmpty();
        assertThat(store.findAll(List.of(account, address, untouched))).containsOnly(
                entry(address, new Attempts(2, start, start)), entry(untouched, new Attempts(3, start, start)));
        Instant later = advance(Duration.ofSeconds(1));
        assertThat(store.recordFailure(account, later, later.minusSeconds(60)))
                .as("after the clear a failure starts a new window").isEqualTo(new Attempts(1, later, later));
        assertThatCode(() -> store.clearAndRelease(newKey(), List.of(newKey()))).doesNotThrowAnyException();
        store.clearAndRelease(untouched, List.of());
        assertThat(store.find(untouched)).isEmpty();
    }

    @Test
    void concurrentReservationsAndSuccessesOnOneAddressLoseNothing() {
        String address = newKey();
        Instant now = now();
        Instant reset = now.minus(Duration.ofMinutes(15));
        for (int i = 0; i < 10; i++) {
            store.recordFailure(address, now, reset);
        }

        Concurrently.run(20, i -> () -> {
            if (i % 2 == 0) {
                store.recordFailures(Map.of(newKey(), reset, address, reset), now);
            } else {
                store.clearAndRelease(newKey(), List.of(address));
            }
            return null;
        });

        assertThat(store.find(address).orElseThrow().failures()).isEqualTo(10);
    }

    /** The clock's instant, truncated to milliseconds. */
    protected Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Moves the clock and returns the new instant, truncated to milliseconds. */
    protected Instant advance(Duration amount) {
        clock.advance(amount);
        return now();
    }

    /** A key shaped like the core's: {@code "acct:"} and 64 hex digits. */
    protected static String newKey() {
        return "acct:" + TokenDigest.of(UUID.randomUUID().toString()).hex();
    }
}
