package dev.portcullis.model;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The user behind a valid session.
 *
 * @param sessionId        digest of the session presented (to tell "this session" in a list)
 * @param createdAt        when the account was registered
 */
public record CurrentUser(UserId id, EmailAddress email, Set<String> roles, boolean emailVerified,
                          Instant createdAt, TokenDigest sessionId) {

    public CurrentUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
