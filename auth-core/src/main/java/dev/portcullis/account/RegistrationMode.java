package dev.portcullis.account;


/** How {@link Accounts#register} treats a new sign-up. */
public enum RegistrationMode {
    /**
     * The account is usable at once and its owner logged in; a taken address is reported as a
     * field error (the tutorial's behaviour). A verification mail is sent when a mailer is set.
     */
    IMMEDIATE,
    /**
     * Enumeration-safe: new and taken addresses get the same answer ({@link
     * RegistrationResult.VerificationSent}); the owner of a taken address is told by mail; login
     * works only after the address is verified. Requires a mailer.
     */
    VERIFY_FIRST
}
