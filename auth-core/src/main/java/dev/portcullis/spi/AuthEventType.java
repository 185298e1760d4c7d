package dev.portcullis.spi;

/**
 * What happened, for audit logs and metrics. Each event carries the account when one is known and
 * the client address the caller passed (see {@link AuthEvent}); new constants may be added in a
 * minor version, so a {@code switch} over them needs a default branch.
 */
public enum AuthEventType {
    /**
     * An account was stored; in verify-first mode this happens off the request thread, before the
     * address is verified.
     */
    REGISTERED,
    /**
     * A password sign-in succeeded: a session was issued, or, for an account with a second factor,
     * the code step follows ({@link #SECOND_FACTOR_REQUIRED}; no session yet).
     */
    LOGIN_SUCCEEDED,
    /**
     * A password sign-in was refused: wrong password, unknown address, disabled account or no
     * usable hash (one answer for all); the account is absent when the address is unknown.
     */
    LOGIN_FAILED,
    /** A sign-in was refused by the throttle before any verify; never names an account. */
    LOGIN_THROTTLED,
    /** A session was ended by logout; the account is absent when the session was already gone. */
    LOGGED_OUT,
    /** The user ended every session ("log out everywhere") or every other one. */
    SESSIONS_REVOKED,
    /** The owner changed the password: every other credential was revoked and a new session issued. */
    PASSWORD_CHANGED,
    /** The account was disabled (every credential was revoked). */
    ACCOUNT_DISABLED,
    /** A remember-me token signed the browser in again (the token was rotated). */
    REMEMBER_ME_RESUMED,
    /**
     * A replaced remember-me token was presented after its grace period: a copy exists, so every
     * credential of the account was revoked and the owner was mailed.
     */
    REMEMBER_ME_THEFT_DETECTED,
    /** A mailed verification link confirmed the address; the event carries no client address. */
    EMAIL_VERIFIED,
    /**
     * A password-reset link was issued to an enabled account outside its mail cooldown; requests for
     * unknown or disabled addresses emit nothing.
     */
    PASSWORD_RESET_REQUESTED,
    /** The password was reset through a mailed link (every credential was revoked). */
    PASSWORD_RESET,
    /** An email change was requested, after re-authentication; the confirmation went to the new address. */
    EMAIL_CHANGE_REQUESTED,
    /** The new address was confirmed through its mailed link and is now the account's. */
    EMAIL_CHANGED,
    /** A correct password led to the second-factor step (no session yet). */
    SECOND_FACTOR_REQUIRED,
    /** A wrong, replayed or expired second-factor code (malformed input is not counted and emits nothing). */
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
    /** An external identity (OpenID Connect) signed in to its linked account, or to the account it just created. */
    FEDERATED_LOGIN_SUCCEEDED,
    /** An external identity was linked to the account. */
    IDENTITY_LINKED,
    /** An external identity was unlinked from the account by its owner. */
    IDENTITY_UNLINKED,
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
