package dev.portcullis.token;

import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.UserId;
import java.time.Duration;

/**
 * Outcome of {@link Tokens#issue}: the same branches as
 * {@code LoginResult} (one credential check serves both), with tokens instead of a session on success.
 * Suggested HTTP mapping: Issued 200, Invalid 400, InvalidCredentials 401, EmailNotVerified 403,
 * Throttled 429 and Busy 503 (both with {@code Retry-After}).
 */
public sealed interface TokenIssueResult {

    record Issued(UserId userId, TokenPair tokens) implements TokenIssueResult {
    }

    record Invalid(FieldErrors errors) implements TokenIssueResult {
    }

    /** Unknown email, wrong password or disabled account: deliberately indistinguishable. */
    record InvalidCredentials() implements TokenIssueResult {
    }

    record Throttled(Duration retryAfter) implements TokenIssueResult {
    }

    record EmailNotVerified(UserId userId) implements TokenIssueResult {
    }

    record Busy(Duration retryAfter) implements TokenIssueResult {
    }
}
