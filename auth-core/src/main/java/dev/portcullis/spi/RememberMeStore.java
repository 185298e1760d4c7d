package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Persists remember-me tokens. Thread-safe; may throw {@link StoreException}, and only that.
 * Operations on absent records change nothing and do not fail.
 */
public interface RememberMeStore {

    /** Adds a token; its selector is fresh random, so collisions need not be handled. */
    void insert(RememberMeRecord token);

    /** The token with this selector as stored, replaced or expired ones included: the core decides. */
    Optional<RememberMeRecord> find(String selector);

    /**
     * Atomically marks a current token as replaced. Of racing calls for one selector exactly one
     * returns {@code true}; a token already replaced (or absent) gives {@code false}.
     */
    boolean markReplaced(String selector, Instant at);

    /** Deletes every token of a series. @return how many */
    int deleteSeries(String seriesId);

    /** @return how many were deleted */
    int deleteAllForUser(UserId userId);

    /** Housekeeping: deletes tokens that expired before {@code now}. @return how many */
    int deleteExpired(Instant now);
}
