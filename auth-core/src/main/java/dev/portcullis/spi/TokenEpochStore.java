package dev.portcullis.spi;

import dev.portcullis.model.UserId;

/**
 * Per-user access-token epochs for strict mode: an access token carries the epoch current when it
 * was issued, and is refused once the user's epoch has moved past it. Thread-safe. May throw
 * {@link StoreException}, and only that.
 */
public interface TokenEpochStore {

    /** The user's epoch: 0 until first advanced. */
    int current(UserId userId);

    /**
     * Adds one to the user's epoch, atomically: concurrent calls each move it by one.
     *
     * @return the new epoch
     */
    int advance(UserId userId);
}
