-- Portcullis schema, version 4, for MariaDB 10.5+ and MySQL 8 (InnoDB): the links between
-- external identities (OpenID Connect issuer + subject) and accounts. Same conventions as versions
-- 1 and 2: the default prefix "portcullis_" is replaced throughout by JdbcSchema, every statement
-- is idempotent, instants are BIGINT milliseconds since the epoch (UTC), utf8mb4_bin so that
-- issuers and subjects compare byte for byte (case matters). The primary key is 767 characters,
-- 3068 bytes in utf8mb4: within InnoDB's 3072-byte limit.

-- One row per linked identity, keyed on (issuer, subject); never on the e-mail, which is kept for
-- display only.
CREATE TABLE IF NOT EXISTS portcullis_identities (
    issuer    VARCHAR(512) NOT NULL,
    subject   VARCHAR(255) NOT NULL,
    user_id   VARCHAR(64)  NOT NULL,
    email     VARCHAR(320),
    linked_at BIGINT       NOT NULL,
    PRIMARY KEY (issuer, subject),
    KEY portcullis_identities_user_idx (user_id, linked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
