package dev.portcullis.passkey;

/** Outcome of asking for the options of a ceremony. */
public sealed interface PasskeyOptionsResult {

    record Creation(CreationOptions options) implements PasskeyOptionsResult {
    }

    record Request(RequestOptions options) implements PasskeyOptionsResult {
    }

    /** No valid session (registration). */
    record NotAuthenticated() implements PasskeyOptionsResult {
    }

    /** Adding a passkey needs a recent proof: re-authenticate first (step-up). */
    record ReauthenticationRequired() implements PasskeyOptionsResult {
    }

    /** The pending sign-in is unknown, expired or used (second factor). */
    record InvalidHandle() implements PasskeyOptionsResult {
    }
}
