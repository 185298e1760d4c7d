-- Portcullis schema, version 1, for MariaDB 10.5+ and MySQL 8 (InnoDB).
-- Table and index names carry the default prefix "portcullis_"; to use another prefix, replace
-- "portcullis_" throughout (JdbcSchema does this for you). Every statement is idempotent.
-- Instants are stored as milliseconds since 1970-01-01T00:00:00Z (UTC), in BIGINT columns.
-- utf8mb4_bin: keys compare byte for byte; a case- or accent-insensitive collation would make
-- "josé@example.com" and "jose@example.com" collide in the unique index.

-- Accounts. email_canonical is the lower-cased lookup key; its unique index enforces one account
-- per address, also when several nodes register the same address at once.
CREATE TABLE IF NOT EXISTS portcullis_users (
    id              VARCHAR(64)   NOT NULL,
    email           VARCHAR(320)  NOT NULL,
    email_canonical VARCHAR(320)  NOT NULL,
    password_hash   VARCHAR(1024) NOT NULL,
    created_at      BIGINT        NOT NULL,
    email_verified  BOOLEAN       NOT NULL,
    disabled        BOOLEAN       NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY portcullis_users_email_uq (email_canonical)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Role names per account (also for accounts that live in an application's own, mapped table).
CREATE TABLE IF NOT EXISTS portcullis_user_roles (
    user_id VARCHAR(64)  NOT NULL,
    role    VARCHAR(255) NOT NULL,
    PRIMARY KEY (user_id, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Account state that a mapped application table has no column for; NULL means "the default".
CREATE TABLE IF NOT EXISTS portcullis_user_state (
    user_id        VARCHAR(64) NOT NULL,
    created_at     BIGINT,
    email_verified BOOLEAN,
    disabled       BOOLEAN,
    PRIMARY KEY (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Named lock rows (SELECT ... FOR UPDATE) that serialise email changes on mapped tables.
CREATE TABLE IF NOT EXISTS portcullis_locks (
    name VARCHAR(64) NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO portcullis_locks (name) VALUES ('user-email');

-- Server-side sessions, keyed by the SHA-256 (hex) of the session token; never the token itself.
CREATE TABLE IF NOT EXISTS portcullis_sessions (
    id             CHAR(64)     NOT NULL,
    user_id        VARCHAR(64)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    last_seen_at   BIGINT       NOT NULL,
    client_address VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    KEY portcullis_sessions_user_idx (user_id),
    KEY portcullis_sessions_seen_idx (last_seen_at),
    KEY portcullis_sessions_created_idx (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Failed-attempt counters for throttling, keyed by digests the core computes.
CREATE TABLE IF NOT EXISTS portcullis_attempts (
    attempt_key     VARCHAR(255) NOT NULL,
    failures        INT          NOT NULL,
    window_start    BIGINT       NOT NULL,
    last_failure_at BIGINT       NOT NULL,
    PRIMARY KEY (attempt_key),
    KEY portcullis_attempts_last_idx (last_failure_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
