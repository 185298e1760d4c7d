package dev.portcullis.account;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import java.time.Duration;

/** Outcome of {@link Accounts#register}. */
public sealed interface RegistrationResult {

    /** The account exists and its owner is logged in with {@code session}. */
    record Registered(CurrentUser user, SessionToken session) implements RegistrationResult {
        public UserId userId() {
            return user.id();
        }
    }

    /** The input is unacceptable; nothing was stored. */
    record Invalid(FieldErrors errors) implements RegistrationResult {
    }

    /** Another account holds the address; nothing was stored. */
    record EmailTaken(FieldErrors errors) implements RegistrationResult {
        public EmailTaken() {
            this(FieldErrors.of("email", "An account with this email address already exists."));
        }
    }

    /**
     * {@link RegistrationMode#VERIFY_FIRST}: the same answer for new and taken addresses — "check
     * your inbox". Nobody is logged in.
     */
    record VerificationSent() implements RegistrationResult {
    }

    /**
     * Too many registrations from this client address ({@code ThrottlePolicy.registrationLimit()});
     * nothing was stored or looked up (HTTP 429 with Retry-After).
     */
    record Throttled(Duration retryAfter) implements RegistrationResult {
    }

    /** Every hashing slot was busy for the configured wait; nothing was stored. Retry later (HTTP 503). */
    record Busy(Duration retryAfter) implements RegistrationResult {
    }
}
