-- Portcullis schema, version 5, for MariaDB 10.5+ (InnoDB): passkeys (WebAuthn). Same conventions as the
-- earlier versions: the default prefix "portcullis_" is replaced throughout by JdbcSchema, every
-- statement is idempotent, instants are BIGINT milliseconds since the epoch (UTC). Version 4 is
-- federated sign-in's (auth-oidc); the two are independent, and JdbcSchema runs whichever of them a
-- database lacks. Nothing here is secret: a passkey's private key never leaves its authenticator,
-- and challenges are kept only as digests.

-- One row per passkey, keyed by the SHA-256 (hex) of its credential id, since an id may be up to
-- 1023 bytes. sign_count changes only by a conditional UPDATE (WHERE sign_count = the value read),
-- so of two assertions racing with the same counter one wins.
CREATE TABLE IF NOT EXISTS portcullis_passkeys (
    id_digest       CHAR(64)      NOT NULL PRIMARY KEY,
    credential_id   VARCHAR(1400) NOT NULL,
    user_id         VARCHAR(64)   NOT NULL,
    public_key      VARCHAR(4000) NOT NULL,
    sign_count      BIGINT        NOT NULL,
    transports      VARCHAR(200)  NOT NULL,
    backup_eligible BOOLEAN       NOT NULL,
    backed_up       BOOLEAN       NOT NULL,
    aaguid          CHAR(36)      NOT NULL,
    name            VARCHAR(256)  NOT NULL,
    created_at      BIGINT        NOT NULL,
    last_used_at    BIGINT,
    KEY portcullis_passkeys_user_idx (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Outstanding challenges, keyed by the challenge's digest; the first answer deletes the row.
-- user_id and pending are '' when the ceremony has none (a usernameless sign-in).
CREATE TABLE IF NOT EXISTS portcullis_passkey_challenges (
    id         CHAR(64)    NOT NULL PRIMARY KEY,
    purpose    VARCHAR(32) NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    pending    VARCHAR(64) NOT NULL,
    expires_at BIGINT      NOT NULL,
    KEY portcullis_passkey_challenges_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
