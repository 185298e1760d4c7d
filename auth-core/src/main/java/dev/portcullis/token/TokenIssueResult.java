package dev.portcullis.token;

import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.UserId;
import java.time.Duration;

/**
 * Outcome of {@link Tokens#issue}: the same branches as
 * {@code LoginResult} (one credential check serves both), with tokens instead of a session on success.
 * Suggested HTTP mapping: Issued 200, Invalid 400, InvalidCredentials 401, SecondFactorRequired
 * and WrongCode 401, EmailNotVerified and EnrolmentRequired 403,
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

    /**
     * The password was right, but the account has a second factor and no {@code code} came with it
     * (the token endpoint's {@code mfa_required}, HTTP 401). Send the code too.
     */
    record SecondFactorRequired() implements TokenIssueResult {
    }

    /** The password was right, the code was wrong, replayed or expired (HTTP 401). */
    record WrongCode() implements TokenIssueResult {
    }

    /** The policy requires a second factor for the account and it has none: enrol in the browser first (HTTP 403). */
    record EnrolmentRequired() implements TokenIssueResult {
    }
}
