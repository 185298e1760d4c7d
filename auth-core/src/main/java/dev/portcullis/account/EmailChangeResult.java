package dev.portcullis.account;

import dev.portcullis.model.FieldErrors;

/** Outcome of {@link Accounts#requestEmailChange}. */
public sealed interface EmailChangeResult {

    /**
     * A confirmation link went to the new address (unless another account holds it: that is not
     * revealed) and a notice to the current one.
     */
    record ConfirmationSent() implements EmailChangeResult {
    }

    /** Keys {@code email} and {@code currentPassword} (also for a wrong current password). */
    record Invalid(FieldErrors errors) implements EmailChangeResult {
    }

    record NotAuthenticated() implements EmailChangeResult {
    }

    /**
     * Too many wrong current passwords for this account, or too many mail requests from this
     * client address (HTTP 429 with Retry-After).
     */
    record Throttled(java.time.Duration retryAfter) implements EmailChangeResult {
    }

    /** Every hashing slot was busy (HTTP 503 with Retry-After). */
    record Busy(java.time.Duration retryAfter) implements EmailChangeResult {
    }

    /**
     * The account has a second factor and the session has not proved it within the step-up window:
     * re-authenticate with a code first ({@code Sessions.reauthenticateSecondFactor}).
     */
    record ReauthenticationRequired() implements EmailChangeResult {
    }
}
