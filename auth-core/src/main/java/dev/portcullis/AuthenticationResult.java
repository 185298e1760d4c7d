package dev.portcullis;

import dev.portcullis.model.UserId;
import java.time.Duration;

/**
 * Outcome of {@link Portcullis#authenticate}: a credential check that starts no session, for
 * callers that issue their own credential (API tokens). Same rules as {@link LoginResult}.
 */
public sealed interface AuthenticationResult {

    /**
     * @param credentialStamp fingerprint of the account's password state; pass it to
     *                        {@link Portcullis#credentialsUnchanged} after storing a credential
     */
    record Authenticated(UserId userId, String credentialStamp) implements AuthenticationResult {
    }

    record Invalid(FieldErrors errors) implements AuthenticationResult {
    }

    record InvalidCredentials() implements AuthenticationResult {
    }

    record Throttled(Duration retryAfter) implements AuthenticationResult {
    }

    record EmailNotVerified(UserId userId) implements AuthenticationResult {
    }

    record Busy(Duration retryAfter) implements AuthenticationResult {
    }
}
