package dev.portcullis.account;

import dev.portcullis.model.FieldErrors;
import java.time.Duration;

/**
 * Outcome of requests that may send a mail ({@link PasswordResets#request},
 * {@link Accounts#resendVerification}). {@link Accepted} is the same whether or not an account
 * exists, so the answer reveals nothing; the work happens off the request thread.
 */
public sealed interface MailRequestResult {

    record Accepted() implements MailRequestResult {
    }

    /** The address is missing or malformed. */
    record Invalid(FieldErrors errors) implements MailRequestResult {
    }

    /**
     * Too many mail requests from this client address ({@code ThrottlePolicy.mailRequestLimit()});
     * nothing was looked up or sent (HTTP 429 with Retry-After). Says nothing about the account.
     */
    record Throttled(Duration retryAfter) implements MailRequestResult {
    }
}
