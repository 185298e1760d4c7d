package dev.portcullis.spi;

/** What a one-time token may be used for; a token is never accepted for another purpose. */
public enum TokenPurpose {
    VERIFY_EMAIL,
    RESET_PASSWORD,
    CONFIRM_EMAIL_CHANGE
}
