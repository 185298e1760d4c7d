package dev.portcullis.spi;

import java.time.Instant;
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

    Optional<Attempts> find(String key);

    /** Forgets the key (after a successful login). */
    void clear(String key);

    /** Housekeeping: removes entries whose last failure is before {@code cutoff}. */
    int deleteOlderThan(Instant cutoff);
}
