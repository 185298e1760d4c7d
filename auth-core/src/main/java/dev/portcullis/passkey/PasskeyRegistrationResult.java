package dev.portcullis.passkey;

import dev.portcullis.model.FieldErrors;

/** Outcome of {@link Passkeys#register}. */
public sealed interface PasskeyRegistrationResult {

    record Registered(PasskeyInfo passkey) implements PasskeyRegistrationResult {
    }

    /** Malformed or oversized input; nothing was checked. */
    record Invalid(FieldErrors errors) implements PasskeyRegistrationResult {
    }

    /** The challenge is unknown, expired, already used or not this account's. */
    record InvalidChallenge() implements PasskeyRegistrationResult {
    }

    /** The response did not verify (origin, RP ID, user verification, signature, format). */
    record Refused() implements PasskeyRegistrationResult {
    }

    /** This authenticator's credential is registered already. */
    record AlreadyRegistered() implements PasskeyRegistrationResult {
    }

    record NotAuthenticated() implements PasskeyRegistrationResult {
    }

    record ReauthenticationRequired() implements PasskeyRegistrationResult {
    }
}
