package dev.portcullis.account;

import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.UserId;
import java.time.Duration;

/** Outcome of {@link PasswordResets#reset}. */
public sealed interface PasswordResetResult {

    /** New password set; every session, remember-me and refresh token of the user is revoked. */
    record Reset(UserId userId) implements PasswordResetResult {
    }

    /** The new password is unacceptable (keys {@code password}, {@code confirmPassword}); the token is still valid. */
    record Invalid(FieldErrors errors) implements PasswordResetResult {
    }

    /** Unknown, used, expired, for another purpose, or the password/email changed since it was issued. */
    record InvalidOrExpired() implements PasswordResetResult {
    }

    record Busy(Duration retryAfter) implements PasswordResetResult {
    }
}
