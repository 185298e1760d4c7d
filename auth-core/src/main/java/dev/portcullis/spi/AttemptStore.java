package dev.portcullis.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed attempts per key for throttling, shared by every node that uses the same store.
 * Keys are opaque digests chosen by the core (they never contain an email address). Thread-safe;
 * may throw {@link StoreException}, and only that.
 */
public interface AttemptStore {

    /**
     * Atomically counts one failure. When there is no entry, or its window started before
     * {@code resetBefore}, a new window starts at {@code now} with one failure. Under concurrency
     * no failure is lost: n racing calls raise the count by n.
     *
     * @return the entry after counting
     */
    Attempts recordFailure(String key, Instant now, Instant resetBefore);

    /**
     * Counts one failure on each of several keys at once, each exactly as {@link #recordFailure}
     * would with its own {@code resetBefore}: a sign-in reserves its attempt on the account's budget
     * and on its client address's together, before the verify, and a store on a database can count
     * both in one round trip (override this then). Each key is atomic on its own, as in
     * {@link #recordFailure}: n racing calls raise every key's count by n, and each call gets a
     * distinct count per key, so parallel guesses that all passed the same throttle check cannot
     * overshoot either budget. The keys need not change together. The default calls
     * {@link #recordFailure} for each key.
     *
     * @param resetBefore for each key to count, the {@code resetBefore} of {@link #recordFailure}
     * @return each key's entry after counting (an empty map for no keys)
     */
    default Map<String, Attempts> recordFailures(Map<String, Instant> resetBefore, Instant now) {
        Objects.requireNonNull(resetBefore, "resetBefore");
        Objects.requireNonNull(now, "now");
        Map<String, Attempts> counted = new HashMap<>();
        resetBefore.forEach((key, reset) -> counted.put(key, recordFailure(key, now, reset)));
        return Map.copyOf(counted);
    }

    /** The entry of {@code key}; empty when no failure was counted since it was cleared or removed. */
    Optional<Attempts> find(String key);

    /**
     * The entries of several keys at once: a login checks the counts of its account and of its
     * client address together, and a store on a database can read both in one round trip (override
     * this then). The default calls {@link #find} for each key.
     *
     * @return the entries of those keys that have one (an absent key has no mapping; no keys, an
     *     empty map); a key given twice appears once
     */
    default Map<String, Attempts> findAll(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        Map<String, Attempts> found = new HashMap<>();
        for (String key : keys) {
            find(key).ifPresent(attempts -> found.put(key, attempts));
        }
        return Map.copyOf(found);
    }

    /**
     * Takes back one failure counted by {@link #recordFailure}. The core counts an attempt on its
     * client address <em>before</em> the password is verified, so that parallel guesses cannot
     * overshoot the address's limit, and takes that count back here when the password was right:
     * the address budget keeps counting failures only. The window is left as it is; when the count
     * reaches zero the key has no entry ({@link #find} is empty, {@link #findAll} leaves it out).
     * Nothing happens for a key without an entry. Atomic: under concurrency no other counted
     * failure is lost (n failures and m releases racing on an entry of c leave c + n − m, never
     * below zero).
     *
     * <p>The default does nothing, so that a store written before this method still compiles; it
     * then keeps every reservation, and each successful sign-in costs its address one unit of the
     * budget. {@code AttemptStoreContract} expects the decrement.
     */
    default void release(String key) {
        Objects.requireNonNull(key, "key");
    }

    /** Forgets the key (after a successful login). */
    void clear(String key);

    /**
     * What a successful sign-in does to its counters, at once: {@link #clear} of {@code clearKey}
     * (the account's budget) and {@link #release} of each of {@code releaseKeys} (the address
     * reservation given back), with their meanings and guarantees; a store on a database can do
     * both in one round trip (override this then). After it, {@code clearKey} has no entry, and a
     * failure counted on it starts a new window. The default calls {@link #release} for each key,
     * then {@link #clear}.
     */
    default void clearAndRelease(String clearKey, Collection<String> releaseKeys) {
        Objects.requireNonNull(clearKey, "clearKey");
        Objects.requireNonNull(releaseKeys, "releaseKeys");
        releaseKeys.forEach(this::release);
        clear(clearKey);
    }

    /** Housekeeping: removes entries whose last failure is before {@code cutoff}. */
    int deleteOlderThan(Instant cutoff);
}
