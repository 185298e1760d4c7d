-- Portcullis schema, version 1, for PostgreSQL 11 or later.
-- Table and index names carry the default prefix "portcullis_"; to use another prefix, replace
-- "portcullis_" throughout (JdbcSchema does this for you). Every statement is idempotent.
-- Instants are stored as milliseconds since 1970-01-01T00:00:00Z (UTC), in BIGINT columns.

-- Accounts. email_canonical is the lower-cased lookup key; its unique index enforces one account
-- per address, also when several nodes register the same address at once.
CREATE TABLE IF NOT EXISTS portcullis_users (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    email           VARCHAR(320)  NOT NULL,
    email_canonical VARCHAR(320)  NOT NULL,
    password_hash   VARCHAR(1024) NOT NULL,
    created_at      BIGINT        NOT NULL,
    email_verified  BOOLEAN       NOT NULL,
    disabled        BOOLEAN       NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS portcullis_users_email_uq ON portcullis_users (email_canonical);

-- Role names per account (also for accounts that live in an application's own, mapped table).
CREATE TABLE IF NOT EXISTS portcullis_user_roles (
    user_id VARCHAR(64)  NOT NULL,
    role    VARCHAR(255) NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Account state that a mapped application table has no column for; NULL means "the default".
CREATE TABLE IF NOT EXISTS portcullis_user_state (
    user_id        VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at     BIGINT,
    email_verified BOOLEAN,
    disabled       BOOLEAN
);

-- Named lock rows (SELECT ... FOR UPDATE) that serialise email changes on mapped tables.
CREATE TABLE IF NOT EXISTS portcullis_locks (
    name VARCHAR(64) NOT NULL PRIMARY KEY
);
INSERT INTO portcullis_locks (name) VALUES ('user-email') ON CONFLICT (name) DO NOTHING;

-- Server-side sessions, keyed by the SHA-256 (hex) of the session token; never the token itself.
CREATE TABLE IF NOT EXISTS portcullis_sessions (
    id             CHAR(64)     NOT NULL PRIMARY KEY,
    user_id        VARCHAR(64)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    last_seen_at   BIGINT       NOT NULL,
    client_address VARCHAR(255) NOT NULL
);
CREATE INDEX IF NOT EXISTS portcullis_sessions_user_idx ON portcullis_sessions (user_id);
CREATE INDEX IF NOT EXISTS portcullis_sessions_seen_idx ON portcullis_sessions (last_seen_at);
CREATE INDEX IF NOT EXISTS portcullis_sessions_created_idx ON portcullis_sessions (created_at);

-- Failed-attempt counters for throttling, keyed by digests the core computes.
CREATE TABLE IF NOT EXISTS portcullis_attempts (
    attempt_key     VARCHAR(255) NOT NULL PRIMARY KEY,
    failures        INT          NOT NULL,
    window_start    BIGINT       NOT NULL,
    last_failure_at BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS portcullis_attempts_last_idx ON portcullis_attempts (last_failure_at);
