package dev.portcullis.spi;

/** What happened, for audit logs and metrics. */
public enum AuthEventType {
    REGISTERED,
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    LOGIN_THROTTLED,
    LOGGED_OUT,
    SESSIONS_REVOKED,
    PASSWORD_CHANGED,
    ACCOUNT_DISABLED,
    REMEMBER_ME_RESUMED,
    REMEMBER_ME_THEFT_DETECTED,
    EMAIL_VERIFIED,
    PASSWORD_RESET_REQUESTED,
    PASSWORD_RESET,
    EMAIL_CHANGE_REQUESTED,
    EMAIL_CHANGED,
    /** A correct password led to the second-factor step (no session yet). */
    SECOND_FACTOR_REQUIRED,
    /** A wrong, replayed or malformed-but-counted second-factor code. */
    SECOND_FACTOR_FAILED,
    /** A second-factor attempt refused by its own throttle. */
    SECOND_FACTOR_THROTTLED,
    /** An authenticator app was confirmed and is now a second factor. */
    SECOND_FACTOR_ENROLLED,
    /** The authenticator app (and with it the recovery codes) was removed. */
    SECOND_FACTOR_REMOVED,
    /** A recovery code was used up (for a sign-in or a re-authentication). */
    RECOVERY_CODE_USED,
    /** A new set of recovery codes replaced the old one. */
    RECOVERY_CODES_REGENERATED,
    /** A signed-in user proved a factor again for a sensitive action. */
    REAUTHENTICATED,
    /** A passkey was added to the account. */
    PASSKEY_ADDED,
    /** A passkey was deleted from the account. */
    PASSKEY_REMOVED,
    /** Signed in with a passkey (alone or as the second factor). */
    PASSKEY_SIGNED_IN,
    /** A passkey answer did not verify (signature, origin, user verification, a lost race). */
    PASSKEY_FAILED,
    /** Passkey attempts are being throttled (their own counter, not the password's). */
    PASSKEY_THROTTLED,
    /** A passkey's signature counter did not increase: the authenticator may have been cloned. */
    PASSKEY_CLONE_SUSPECTED
}
