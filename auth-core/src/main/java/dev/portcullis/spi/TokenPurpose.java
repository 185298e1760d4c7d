package dev.portcullis.spi;

/** What a one-time token may be used for; a token is never accepted for another purpose. */
public enum TokenPurpose {
    VERIFY_EMAIL,
    RESET_PASSWORD,
    CONFIRM_EMAIL_CHANGE,
    /** Links an external identity to the account, from the browser that asked (its payload says which). */
    LINK_IDENTITY
}
