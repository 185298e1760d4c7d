-- Portcullis schema, version 4, for PostgreSQL 11 or later: the links between external
-- identities (OpenID Connect issuer + subject) and accounts. Same conventions as versions 1 and 2:
-- the default prefix "portcullis_" is replaced throughout by JdbcSchema, every statement is
-- idempotent, instants are BIGINT milliseconds since the epoch (UTC).

-- One row per linked identity, keyed on (issuer, subject), compared exactly; never on the e-mail,
-- which is kept for display only.
CREATE TABLE IF NOT EXISTS portcullis_identities (
    issuer    VARCHAR(512) NOT NULL,
    subject   VARCHAR(255) NOT NULL,
    user_id   VARCHAR(64)  NOT NULL,
    email     VARCHAR(320),
    linked_at BIGINT       NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX IF NOT EXISTS portcullis_identities_user_idx ON portcullis_identities (user_id, linked_at);
