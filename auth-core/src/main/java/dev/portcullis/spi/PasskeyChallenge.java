package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An outstanding WebAuthn challenge, kept only as the digest of the challenge the browser signs.
 *
 * @param digest    SHA-256 of the challenge (base64url), the store's key
 * @param purpose   the ceremony it was issued for; a challenge answers only that one
 * @param userId    the account it was issued to (registration, second factor); empty for a
 *                  usernameless sign-in
 * @param pending   for a second factor: the digest of the pending sign-in it completes
 * @param expiresAt after this it is refused
 */
public record PasskeyChallenge(TokenDigest digest, Purpose purpose, Optional<UserId> userId,
                               Optional<TokenDigest> pending, Instant expiresAt) {

    /** The ceremony a challenge belongs to. */
    public enum Purpose {
        REGISTRATION,
        SIGN_IN,
        SECOND_FACTOR
    }

    public PasskeyChallenge {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
