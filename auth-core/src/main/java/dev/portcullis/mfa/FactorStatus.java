package dev.portcullis.mfa;

/**
 * A user's second factors, for a settings page.
 *
 * @param authenticatorApp  a confirmed authenticator app (two-factor sign-in is on)
 * @param recoveryCodesLeft unused recovery codes
 * @param required          the policy requires a second factor for the user's roles
 */
public record FactorStatus(boolean authenticatorApp, int recoveryCodesLeft, boolean required) {
}
