package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A single-use token as stored (only the digest of the secret).
 *
 * @param binding a fingerprint of the account state the token was issued against (password hash
 *                and email); the core refuses the token when the account has changed since
 * @param payload purpose-specific data, e.g. the new address of an email change; empty if none
 */
public record OneTimeTokenRecord(TokenDigest id, UserId userId, TokenPurpose purpose, Instant createdAt,
                                 Instant expiresAt, String binding, String payload) {

    public OneTimeTokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(binding, "binding");
        payload = payload == null ? "" : payload;
    }
}
