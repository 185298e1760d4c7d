package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Persists single-use tokens (email verification, password reset, email change). Thread-safe; may
 * throw {@link StoreException}, and only that.
 */
public interface OneTimeTokenStore {

    /** Adds a token; its id is the digest of a fresh random secret, so collisions need not be handled. */
    void insert(OneTimeTokenRecord token);

    /** Reads without consuming (to validate a form before spending the token). */
    Optional<OneTimeTokenRecord> find(TokenDigest id);

    /**
     * Atomically removes and returns the token if it exists with this purpose. Of any number of
     * racing calls for one token exactly one gets it, also across processes. A token of another
     * purpose is left untouched.
     */
    Optional<OneTimeTokenRecord> consume(TokenDigest id, TokenPurpose purpose);

    /** @return how many were deleted */
    int deleteAllForUser(UserId userId, TokenPurpose purpose);

    /** Housekeeping. @return how many were deleted */
    int deleteExpired(Instant now);
}
