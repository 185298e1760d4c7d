package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's authenticator-app (TOTP) enrolment as a {@link SecondFactorStore} keeps it.
 *
 * @param userId       whose it is; one enrolment per user
 * @param sealedSecret the TOTP secret encrypted by the core (AES-GCM, bound to the user id); opaque
 *                     to the store, at most 255 characters. Never printed.
 * @param confirmedAt  when the user confirmed it with a first code; null while pending (a pending
 *                     enrolment is not a second factor yet)
 * @param lastUsedStep the RFC 6238 time step of the last accepted code (the confirming one
 *                     included); -1 before any. Only codes of a later step are accepted.
 * @param createdAt    when the enrolment was started
 */
public record TotpEnrolment(UserId userId, String sealedSecret, Instant createdAt, Instant confirmedAt,
                            long lastUsedStep) {

    public TotpEnrolment {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        Objects.requireNonNull(createdAt, "createdAt");
        if (sealedSecret.isEmpty() || sealedSecret.length() > 255) {
            throw new IllegalArgumentException("sealedSecret must be 1 to 255 characters");
        }
        if (lastUsedStep < -1) {
            throw new IllegalArgumentException("lastUsedStep must be -1 or a time step");
        }
    }

    public boolean confirmed() {
        return confirmedAt != null;
    }

    public Optional<Instant> confirmation() {
        return Optional.ofNullable(confirmedAt);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "TotpEnrolment[userId=" + userId + ", confirmed=" + confirmed() + ", lastUsedStep=" + lastUsedStep + "]";
    }
}
