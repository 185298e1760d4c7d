package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * Persists outstanding WebAuthn challenges. Thread-safe. Fails only with {@link StoreException}.
 */
public interface PasskeyChallengeStore {

    void insert(PasskeyChallenge challenge);

    /**
     * Deletes the challenge and returns it, atomically: of any number of concurrent calls with the
     * same digest at most one gets it. An expired one is deleted too and returned empty.
     */
    Optional<PasskeyChallenge> consume(TokenDigest digest, Instant now);

    /** @return how many expired challenges were deleted */
    int deleteExpired(Instant now);
}
