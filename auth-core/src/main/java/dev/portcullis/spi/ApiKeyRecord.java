package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A personal access token (API key) as stored: its digest, never the key itself.
 *
 * @param digest     SHA-256 of the whole key text, prefix included; what lookups use
 * @param id         public identifier for listing and revoking, unique; 1 to 64 characters
 * @param userId     whose key it is
 * @param name       the owner's label, 1 to 100 characters
 * @param scopes     what the key may do; may be empty
 * @param createdAt  when it was created
 * @param expiresAt  after this instant the key is refused; after {@code createdAt}
 * @param lastUsedAt last successful use, at most about a minute stale; empty if never used
 */
public record ApiKeyRecord(TokenDigest digest, String id, UserId userId, String name, Set<String> scopes,
                           Instant createdAt, Instant expiresAt, Optional<Instant> lastUsedAt) {

    public ApiKeyRecord {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        if (id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("id must be 1 to 64 non-blank characters");
        }
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("name must be 1 to 100 non-blank characters");
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
    }

    public ApiKeyRecord withLastUsedAt(Instant value) {
        return new ApiKeyRecord(digest, id, userId, name, scopes, createdAt, expiresAt, Optional.of(value));
    }
}
