package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One remember-me token as stored. Each use replaces the token by a new one of the same
 * {@code seriesId}; the replaced record is kept (with {@code replacedAt}) until it expires so a
 * later reuse can be recognised as theft.
 *
 * @param selector      public lookup key (22 base64url chars)
 * @param validatorHash SHA-256 of the secret half
 * @param seriesId      shared by every token descended from one login
 * @param replacedAt    when a newer token of the series replaced this one; null while current
 */
public record RememberMeRecord(String selector, TokenDigest validatorHash, UserId userId, String seriesId,
                               Instant createdAt, Instant expiresAt, Instant replacedAt) {

    public RememberMeRecord {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(validatorHash, "validatorHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(seriesId, "seriesId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public Optional<Instant> replaced() {
        return Optional.ofNullable(replacedAt);
    }

    public RememberMeRecord withReplacedAt(Instant at) {
        return new RememberMeRecord(selector, validatorHash, userId, seriesId, createdAt, expiresAt, at);
    }
}
