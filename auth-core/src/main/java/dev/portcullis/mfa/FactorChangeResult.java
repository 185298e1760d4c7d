package dev.portcullis.mfa;

/** Outcome of {@link SecondFactors#removeAuthenticator} and {@link SecondFactors#regenerateRecoveryCodes}. */
public sealed interface FactorChangeResult {

    /** Done; {@code recoveryCodes} is the new set (empty after a removal). */
    record Changed(RecoveryCodes recoveryCodes) implements FactorChangeResult {
    }

    /** The account has no authenticator app. */
    record NotEnrolled() implements FactorChangeResult {
    }

    /** The policy requires a second factor for the user's roles: it cannot be removed. */
    record RequiredByPolicy() implements FactorChangeResult {
    }

    /** Every factor must have been proved within the step-up window: re-authenticate first. */
    record ReauthenticationRequired() implements FactorChangeResult {
    }

    record NotAuthenticated() implements FactorChangeResult {
    }
}
