package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh token as stored: only its digest, never the token. Every token belongs to a family,
 * the chain of rotations that started with one sign-in; reuse of any used member revokes the
 * whole family.
 *
 * @param id              SHA-256 of the refresh token
 * @param userId          whose token it is
 * @param familyId        shared by every token rotated from the same sign-in; 1 to 64 characters
 * @param authenticatedAt when the user last presented credentials (start of the family); the
 *                        family's absolute lifetime counts from here
 * @param issuedAt        when this token was issued
 * @param expiresAt       after this instant the token is refused; after {@code issuedAt}
 * @param usedAt          when the token was exchanged for a new pair; empty while unused
 */
public record RefreshTokenRecord(TokenDigest id, UserId userId, String familyId, Instant authenticatedAt,
                                 Instant issuedAt, Instant expiresAt, Optional<Instant> usedAt) {

    public RefreshTokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(usedAt, "usedAt");
        if (familyId.isBlank() || familyId.length() > 64) {
            throw new IllegalArgumentException("familyId must be 1 to 64 non-blank characters");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expiresAt must be after issuedAt");
        }
    }

    public RefreshTokenRecord withUsedAt(Instant value) {
        return new RefreshTokenRecord(id, userId, familyId, authenticatedAt, issuedAt, expiresAt,
                Optional.of(value));
    }
}
