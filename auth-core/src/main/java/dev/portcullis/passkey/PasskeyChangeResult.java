package dev.portcullis.passkey;

import dev.portcullis.model.FieldErrors;

/** Outcome of renaming or deleting a passkey. */
public sealed interface PasskeyChangeResult {

    record Done() implements PasskeyChangeResult {
    }

    record Invalid(FieldErrors errors) implements PasskeyChangeResult {
    }

    /** The account has no passkey with that id. */
    record NotFound() implements PasskeyChangeResult {
    }

    /** Refused: it is the last way into an account that has no password. */
    record LastCredential() implements PasskeyChangeResult {
    }

    record NotAuthenticated() implements PasskeyChangeResult {
    }

    record ReauthenticationRequired() implements PasskeyChangeResult {
    }
}
