package dev.portcullis.account;


import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.UserId;

/** Outcome of {@link Accounts#confirmEmailChange}. */
public sealed interface ConfirmEmailChangeResult {

    /** The address changed; every session of the user ended (log in with the new address). */
    record Changed(UserId userId, EmailAddress newEmail) implements ConfirmEmailChangeResult {
    }

    record InvalidOrExpired() implements ConfirmEmailChangeResult {
    }

    /** Another account took the address meanwhile; nothing changed. */
    record EmailTaken() implements ConfirmEmailChangeResult {
    }
}
