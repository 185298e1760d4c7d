package dev.portcullis.account;

import dev.portcullis.model.FieldErrors;

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
}
