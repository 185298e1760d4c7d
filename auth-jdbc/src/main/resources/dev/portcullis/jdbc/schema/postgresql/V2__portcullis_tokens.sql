-- Portcullis schema, version 2, for PostgreSQL 11 or later: the token tables (remember-me,
-- one-time, refresh, API keys, access-token epochs). Same conventions as version 1: the default
-- prefix "portcullis_" is replaced throughout by JdbcSchema, every statement is idempotent,
-- instants are BIGINT milliseconds since the epoch (UTC), and no table holds a token, only its
-- SHA-256 (hex).

-- Remember-me tokens: selector + digest of the validator. A replaced token keeps its row (with
-- replaced_at) until it expires, so that its reuse can be recognised as theft.
CREATE TABLE IF NOT EXISTS portcullis_remember_me (
    selector       VARCHAR(64) NOT NULL PRIMARY KEY,
    validator_hash CHAR(64)    NOT NULL,
    user_id        VARCHAR(64) NOT NULL,
    series_id      VARCHAR(64) NOT NULL,
    created_at     BIGINT      NOT NULL,
    expires_at     BIGINT      NOT NULL,
    replaced_at    BIGINT
);
CREATE INDEX IF NOT EXISTS portcullis_remember_me_user_idx ON portcullis_remember_me (user_id);
CREATE INDEX IF NOT EXISTS portcullis_remember_me_series_idx ON portcullis_remember_me (series_id);
CREATE INDEX IF NOT EXISTS portcullis_remember_me_expires_idx ON portcullis_remember_me (expires_at);

-- Single-use tokens (verify email, reset password, confirm email change), keyed by digest.
CREATE TABLE IF NOT EXISTS portcullis_one_time_tokens (
    id         CHAR(64)      NOT NULL PRIMARY KEY,
    user_id    VARCHAR(64)   NOT NULL,
    purpose    VARCHAR(32)   NOT NULL,
    created_at BIGINT        NOT NULL,
    expires_at BIGINT        NOT NULL,
    binding    VARCHAR(255)  NOT NULL,
    payload    VARCHAR(1024) NOT NULL
);
CREATE INDEX IF NOT EXISTS portcullis_one_time_tokens_user_idx ON portcullis_one_time_tokens (user_id, purpose);
CREATE INDEX IF NOT EXISTS portcullis_one_time_tokens_expires_idx ON portcullis_one_time_tokens (expires_at);

-- Refresh tokens, keyed by digest; family_id groups the rotations of one sign-in. used_at is set
-- once (compare-and-set) when the token is exchanged.
CREATE TABLE IF NOT EXISTS portcullis_refresh_tokens (
    id               CHAR(64)    NOT NULL PRIMARY KEY,
    user_id          VARCHAR(64) NOT NULL,
    family_id        VARCHAR(64) NOT NULL,
    authenticated_at BIGINT      NOT NULL,
    issued_at        BIGINT      NOT NULL,
    expires_at       BIGINT      NOT NULL,
    used_at          BIGINT
);
CREATE INDEX IF NOT EXISTS portcullis_refresh_tokens_user_idx ON portcullis_refresh_tokens (user_id);
CREATE INDEX IF NOT EXISTS portcullis_refresh_tokens_family_idx ON portcullis_refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS portcullis_refresh_tokens_expires_idx ON portcullis_refresh_tokens (expires_at);

-- Personal access tokens (API keys), keyed by digest; id is the public handle for listing and
-- revoking. Their scopes live in portcullis_api_key_scopes and go with the key.
CREATE TABLE IF NOT EXISTS portcullis_api_keys (
    digest       CHAR(64)     NOT NULL PRIMARY KEY,
    id           VARCHAR(64)  NOT NULL,
    user_id      VARCHAR(64)  NOT NULL,
    name         VARCHAR(100) NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    last_used_at BIGINT
);
CREATE UNIQUE INDEX IF NOT EXISTS portcullis_api_keys_id_uq ON portcullis_api_keys (id);
CREATE INDEX IF NOT EXISTS portcullis_api_keys_user_idx ON portcullis_api_keys (user_id, created_at);
CREATE INDEX IF NOT EXISTS portcullis_api_keys_expires_idx ON portcullis_api_keys (expires_at);

CREATE TABLE IF NOT EXISTS portcullis_api_key_scopes (
    key_digest CHAR(64)     NOT NULL,
    scope      VARCHAR(255) NOT NULL,
    PRIMARY KEY (key_digest, scope),
    CONSTRAINT portcullis_api_key_scopes_key_fk FOREIGN KEY (key_digest)
        REFERENCES portcullis_api_keys (digest) ON DELETE CASCADE
);

-- Per-user access-token epochs (strict mode); a missing row means epoch 0.
CREATE TABLE IF NOT EXISTS portcullis_token_epochs (
    user_id VARCHAR(64) NOT NULL PRIMARY KEY,
    epoch   INT         NOT NULL
);
