package dev.portcullis.account;

import dev.portcullis.model.FieldErrors;

import java.time.Duration;

/** Outcome of {@link Accounts#changePassword}. */
public sealed interface ChangePasswordResult {

    /**
     * The password is changed; every session and credential of the user ended, this session
     * included: continue with {@code session} (set it as the new cookie).
     */
    record Changed(int otherSessionsEnded, dev.portcullis.model.SessionToken session) implements ChangePasswordResult {
    }

    /** Input unacceptable, or the current password is wrong (keyed {@code currentPassword}). */
    record Invalid(FieldErrors errors) implements ChangePasswordResult {
    }

    /** The session is missing or expired. */
    record NotAuthenticated() implements ChangePasswordResult {
    }

    record Throttled(Duration retryAfter) implements ChangePasswordResult {
    }

    record Busy(Duration retryAfter) implements ChangePasswordResult {
    }

    /**
     * The account has a second factor and the session has not proved it within the step-up window:
     * re-authenticate with a code first ({@code Sessions.reauthenticateSecondFactor}).
     */
    record ReauthenticationRequired() implements ChangePasswordResult {
    }
}
