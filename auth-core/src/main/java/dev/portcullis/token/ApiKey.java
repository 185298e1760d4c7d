package dev.portcullis.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A personal access token as its owner sees it in a list: everything but the secret, which is
 * shown once, at creation, and never stored.
 *
 * @param id         public identifier, for revoking
 * @param name       the owner's label
 * @param scopes     what the key may do
 * @param createdAt  when it was created
 * @param expiresAt  when it stops working
 * @param lastUsedAt last use, up to a minute stale; empty if never used
 */
public record ApiKey(String id, String name, Set<String> scopes, Instant createdAt, Instant expiresAt,
                     Optional<Instant> lastUsedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
