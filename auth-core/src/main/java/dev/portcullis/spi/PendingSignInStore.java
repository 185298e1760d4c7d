package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Persists pending sign-ins (password proved, second factor awaited) by handle digest. Thread-safe;
 * may throw {@link StoreException}, and only that. Holds no rules: the core checks expiry and the
 * attempt limit.
 */
public interface PendingSignInStore {

    /** Adds one; its id is fresh random, so collisions need not be handled. */
    void insert(PendingSignIn pending);

    Optional<PendingSignIn> find(TokenDigest id);

    /**
     * Counts one code attempt on the pending sign-in. Atomic: n racing calls raise the count by n,
     * and each gets a distinct count (so the core can let exactly the first few proceed).
     *
     * @return the count after this attempt; empty when there is no such pending sign-in
     */
    OptionalInt recordAttempt(TokenDigest id);

    /**
     * Atomically removes and returns it. Of any number of racing calls exactly one gets it, also
     * across processes: a handle completes one sign-in at most.
     */
    Optional<PendingSignIn> consume(TokenDigest id);

    /** Housekeeping: removes those whose {@code expiresAt} is before {@code now}. @return how many */
    int deleteExpired(Instant now);
}
