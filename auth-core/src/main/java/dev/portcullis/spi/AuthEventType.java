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
    ACCOUNT_DISABLED
}
