-- Portcullis schema, version 2, for MariaDB 10.5+ and MySQL 8 (InnoDB): the token tables
-- (remember-me, one-time, refresh, API keys, access-token epochs). Same conventions as version 1:
-- the default prefix "portcullis_" is replaced throughout by JdbcSchema, every statement is
-- idempotent, instants are BIGINT milliseconds since the epoch (UTC), utf8mb4_bin so that keys
-- compare byte for byte, and no table holds a token, only its SHA-256 (hex).

-- Remember-me tokens: selector + digest of the validator. A replaced token keeps its row (with
-- replaced_at) until it expires, so that its reuse can be recognised as theft.
CREATE TABLE IF NOT EXISTS portcullis_remember_me (
    selector       VARCHAR(64) NOT NULL,
    validator_hash CHAR(64)    NOT NULL,
    user_id        VARCHAR(64) NOT NULL,
    series_id      VARCHAR(64) NOT NULL,
    created_at     BIGINT      NOT NULL,
    expires_at     BIGINT      NOT NULL,
    replaced_at    BIGINT,
    PRIMARY KEY (selector),
    KEY portcullis_remember_me_user_idx (user_id),
    KEY portcullis_remember_me_series_idx (series_id),
    KEY portcullis_remember_me_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Single-use tokens (verify email, reset password, confirm email change), keyed by digest.
CREATE TABLE IF NOT EXISTS portcullis_one_time_tokens (
    id         CHAR(64)      NOT NULL,
    user_id    VARCHAR(64)   NOT NULL,
    purpose    VARCHAR(32)   NOT NULL,
    created_at BIGINT        NOT NULL,
    expires_at BIGINT        NOT NULL,
    binding    VARCHAR(255)  NOT NULL,
    payload    VARCHAR(1024) NOT NULL,
    PRIMARY KEY (id),
    KEY portcullis_one_time_tokens_user_idx (user_id, purpose),
    KEY portcullis_one_time_tokens_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Refresh tokens, keyed by digest; family_id groups the rotations of one sign-in. used_at is set
-- once (compare-and-set) when the token is exchanged.
CREATE TABLE IF NOT EXISTS portcullis_refresh_tokens (
    id               CHAR(64)    NOT NULL,
    user_id          VARCHAR(64) NOT NULL,
    family_id        VARCHAR(64) NOT NULL,
    authenticated_at BIGINT      NOT NULL,
    issued_at        BIGINT      NOT NULL,
    expires_at       BIGINT      NOT NULL,
    used_at          BIGINT,
    PRIMARY KEY (id),
    KEY portcullis_refresh_tokens_user_idx (user_id),
    KEY portcullis_refresh_tokens_family_idx (family_id),
    KEY portcullis_refresh_tokens_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Personal access tokens (API keys), keyed by digest; id is the public handle for listing and
-- revoking. Their scopes live in portcullis_api_key_scopes and go with the key.
CREATE TABLE IF NOT EXISTS portcullis_api_keys (
    digest       CHAR(64)     NOT NULL,
    id           VARCHAR(64)  NOT NULL,
    user_id      VARCHAR(64)  NOT NULL,
    name         VARCHAR(100) NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    last_used_at BIGINT,
    PRIMARY KEY (digest),
    UNIQUE KEY portcullis_api_keys_id_uq (id),
    KEY portcullis_api_keys_user_idx (user_id, created_at),
    KEY portcullis_api_keys_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS portcullis_api_key_scopes (
    key_digest CHAR(64)     NOT NULL,
    scope      VARCHAR(255) NOT NULL,
    PRIMARY KEY (key_digest, scope),
    CONSTRAINT portcullis_api_key_scopes_key_fk FOREIGN KEY (key_digest)
        REFERENCES portcullis_api_keys (digest) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Per-user access-token epochs (strict mode); a missing row means epoch 0.
CREATE TABLE IF NOT EXISTS portcullis_token_epochs (
    user_id VARCHAR(64) NOT NULL,
    epoch   INT         NOT NULL,
    PRIMARY KEY (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
