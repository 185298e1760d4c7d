package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Persists refresh tokens by digest. Thread-safe; holds no rules (the core decides expiry, reuse
 * and rotation). Operations on an absent id or family change nothing and do not fail. May throw
 * {@link StoreException}, and only that.
 *
 * <p>What must hold under concurrency: {@link #markUsed} is a compare-and-set that succeeds for
 * exactly one caller per token, however many race; and a token inserted before a
 * {@link #deleteFamily} or {@link #deleteAllForUser} starts is removed by it.
 */
public interface RefreshTokenStore {

    /** Adds a token; its id is the digest of a fresh random secret, so collisions need not be handled. */
    void insert(RefreshTokenRecord token);

    /** The token as stored, used or expired ones included: the core decides (a used token is a reuse). */
    Optional<RefreshTokenRecord> find(TokenDigest id);

    /**
     * Sets {@code usedAt} if and only if the token exists and is still unused, atomically.
     *
     * @return true for exactly one caller per token; false when absent or already used
     */
    boolean markUsed(TokenDigest id, Instant usedAt);

    /** Removes every token (used or not) of the family. @return how many were removed */
    int deleteFamily(String familyId);

    /** Removes every token of the user. @return how many were removed */
    int deleteAllForUser(UserId userId);

    /** Housekeeping: removes tokens whose {@code expiresAt} is before {@code cutoff}. @return how many */
    int deleteExpired(Instant cutoff);
}
