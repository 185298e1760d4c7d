package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An identity at an external provider (an OpenID Connect issuer), linked to one account. Keyed on
 * {@code (issuer, subject)}, never on an e-mail address: a provider's addresses change hands and
 * are not always verified, its subject identifier does not.
 *
 * @param issuer   the provider's issuer identifier, exactly as its ID tokens carry it (1..512 characters)
 * @param subject  the provider's identifier of the user, unique within the issuer (1..255 characters)
 * @param userId   the local account
 * @param email    the address the provider reported when the identity was linked, for display only
 * @param linkedAt when it was linked
 */
public record IdentityRecord(String issuer, String subject, UserId userId, Optional<String> email, Instant linkedAt) {

    /** Longest issuer a store must keep. */
    public static final int MAX_ISSUER_LENGTH = 512;
    /** Longest subject a store must keep (OpenID Connect Core 1.0 §2: at most 255 ASCII characters). */
    public static final int MAX_SUBJECT_LENGTH = 255;
    /** Longest e-mail a store must keep. */
    public static final int MAX_EMAIL_LENGTH = 320;

    public IdentityRecord {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(linkedAt, "linkedAt");
        if (issuer.isEmpty() || issuer.length() > MAX_ISSUER_LENGTH) {
            throw new IllegalArgumentException("issuer must be 1.." + MAX_ISSUER_LENGTH + " characters");
        }
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("subject must be 1.." + MAX_SUBJECT_LENGTH + " characters");
        }
        if (email.isPresent() && email.get().length() > MAX_EMAIL_LENGTH) {
            throw new IllegalArgumentException("email must be at most " + MAX_EMAIL_LENGTH + " characters");
        }
    }
}
