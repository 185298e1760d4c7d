package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in that proved the password and waits for the second factor, as a
 * {@link PendingSignInStore} keeps it. The handle itself is never stored, only its digest.
 *
 * @param id        SHA-256 of the handle
 * @param userId    the account that proved its password
 * @param stamp     the account's password-state fingerprint when it did: a password change or
 *                  reset meanwhile makes the handle worthless
 * @param purpose   what the handle allows
 * @param createdAt when the password was proved (the session's password proof, if it completes)
 * @param expiresAt after this the handle is refused
 * @param attempts  codes tried on this handle so far (counted before each is checked)
 */
public record PendingSignIn(TokenDigest id, UserId userId, String stamp, Purpose purpose, Instant createdAt,
                            Instant expiresAt, int attempts) {

    /** What a pending sign-in allows. */
    public enum Purpose {
        /** Enter a code of an enrolled factor. */
        SECOND_FACTOR,
        /** Only enrol a factor (the policy requires one and the account has none), then sign in. */
        ENROLMENT
    }

    public PendingSignIn {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }
}
