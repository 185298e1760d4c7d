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

    /** Housekeeping: removes entries whose last failure is before {@code cutoff}. */
    int deleteOlderThan(Instant cutoff);
}
