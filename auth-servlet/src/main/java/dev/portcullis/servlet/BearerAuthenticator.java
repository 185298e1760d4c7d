package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import java.util.Optional;

/**
 * Resolves the token of an {@code Authorization: Bearer} header to a user; the hook through which
 * stateless access tokens plug into {@link AuthFilter}. Implementations must be thread-safe, must
 * treat the token as untrusted input and must answer {@link Optional#empty()} (never throw) for a
 * token that is malformed, expired or unknown.
 */
@FunctionalInterface
public interface BearerAuthenticator {

    /** The user the token proves, or empty. */
    Optional<CurrentUser> authenticate(String token);
}
