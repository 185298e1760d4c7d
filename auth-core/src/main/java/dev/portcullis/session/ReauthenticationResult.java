package dev.portcullis.session;

import dev.portcullis.model.FieldErrors;
import java.time.Duration;

/**
 * Outcome of {@link Sessions#reauthenticate} and {@link Sessions#reauthenticateSecondFactor}
 * (step-up): a right answer records a fresh proof in the session, which sensitive actions then
 * accept for {@code SecondFactorPolicy.stepUpWindow()}.
 */
public sealed interface ReauthenticationResult {

    /** The proof is recorded; {@code complete}: every factor of the account is now fresh. */
    record Reauthenticated(boolean complete) implements ReauthenticationResult {
    }

    /** Empty or malformed input (keyed {@code password} or {@code code}); not counted. */
    record Invalid(FieldErrors errors) implements ReauthenticationResult {
    }

    record WrongPassword() implements ReauthenticationResult {
    }

    /** Wrong, replayed or expired code. */
    record WrongCode() implements ReauthenticationResult {
    }

    /** The account has no second factor to prove. */
    record NoSecondFactor() implements ReauthenticationResult {
    }

    record NotAuthenticated() implements ReauthenticationResult {
    }

    record Throttled(Duration retryAfter) implements ReauthenticationResult {
    }

    record Busy(Duration retryAfter) implements ReauthenticationResult {
    }
}
