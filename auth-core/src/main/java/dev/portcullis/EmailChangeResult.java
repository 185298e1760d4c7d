package dev.portcullis;

/** Outcome of {@link Portcullis#requestEmailChange}. */
public sealed interface EmailChangeResult {

    /**
     * A confirmation link went to the new address (unless another account holds it: that is not
     * revealed) and a notice to the current one.
     */
    record ConfirmationSent() implements EmailChangeResult {
    }

    record Invalid(FieldErrors errors) implements EmailChangeResult {
    }

    record NotAuthenticated() implements EmailChangeResult {
    }
}
