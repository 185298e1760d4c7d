-- Portcullis schema, version 3, for H2 2.x: second factors. Same conventions as
-- versions 1 and 2: the default prefix "portcullis_" is replaced throughout by JdbcSchema, every
-- statement is idempotent, instants are BIGINT milliseconds since the epoch (UTC). No table holds a
-- secret in clear: authenticator secrets are sealed by the core (AES-GCM), recovery codes and
-- pending sign-in handles are kept only as digests.

-- What the holder of a session proved, and when (step-up): NULL for sessions stored before this
-- version, which then count as having proved nothing recently.
ALTER TABLE portcullis_sessions ADD COLUMN IF NOT EXISTS password_at BIGINT;
ALTER TABLE portcullis_sessions ADD COLUMN IF NOT EXISTS second_factor_at BIGINT;

-- One authenticator-app (TOTP) enrolment per user; confirmed_at is NULL while pending.
-- last_used_step only grows (a conditional UPDATE), which is what refuses a replayed code.
CREATE TABLE IF NOT EXISTS portcullis_totp_enrolments (
    user_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    sealed_secret  VARCHAR(255) NOT NULL,
    created_at     BIGINT       NOT NULL,
    confirmed_at   BIGINT,
    last_used_step BIGINT       NOT NULL
);

-- Recovery codes, as keyed digests (HMAC-SHA-256, hex); a used code's row is deleted.
CREATE TABLE IF NOT EXISTS portcullis_recovery_codes (
    user_id     VARCHAR(64) NOT NULL,
    code_digest CHAR(64)    NOT NULL,
    created_at  BIGINT      NOT NULL,
    PRIMARY KEY (user_id, code_digest)
);

-- Sign-ins that proved the password and wait for the second factor, keyed by the handle's digest.
CREATE TABLE IF NOT EXISTS portcullis_pending_sign_ins (
    id         CHAR(64)     NOT NULL PRIMARY KEY,
    user_id    VARCHAR(64)  NOT NULL,
    stamp      VARCHAR(128) NOT NULL,
    purpose    VARCHAR(32)  NOT NULL,
    created_at BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL,
    attempts   INT          NOT NULL
);
CREATE INDEX IF NOT EXISTS portcullis_pending_sign_ins_expires_idx ON portcullis_pending_sign_ins (expires_at);
