package dev.portcullis.account;


/** How {@link Accounts#register} treats a new sign-up. */
public enum RegistrationMode {
    /**
     * The account is usable at once and its owner logged in; a taken address is reported as a
     * field error (the tutorial's behaviour). A verification mail is sent when a mailer is set.
     * The "email taken" answer tells anyone which addresses have an account; the per-address
     * registration budget ({@code ThrottlePolicy.registrationLimit()}) slows such probing but does
     * not prevent it. Choose {@link #VERIFY_FIRST} when that matters.
     */
    IMMEDIATE,
    /**
     * The enumeration-safe mode: new and taken addresses get the same answer ({@link
     * RegistrationResult.VerificationSent}) in the same time; the owner of a taken address is told
     * by mail; login works only after the address is verified. Requires a mailer.
     */
    VERIFY_FIRST
}
