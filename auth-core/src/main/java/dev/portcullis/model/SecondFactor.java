package dev.portcullis.model;

/** A kind of second factor an account can prove after its password. */
public enum SecondFactor {
    /** A 6-digit code from an authenticator app (TOTP, RFC 6238). */
    AUTHENTICATOR_APP,
    /** One of the account's single-use recovery codes. */
    RECOVERY_CODE
}
