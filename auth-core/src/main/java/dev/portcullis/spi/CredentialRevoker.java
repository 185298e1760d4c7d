package dev.portcullis.spi;

import dev.portcullis.Portcullis;

import dev.portcullis.model.UserId;

/**
 * Revokes a kind of credential the core does not manage itself (refresh tokens, API keys, cached
 * token epochs) whenever every credential of a user must die: log out everywhere, password change
 * or reset, email change, account disabled. Registered with
 * {@code Portcullis.builder().credentialRevoker(...)}.
 *
 * <p>Called synchronously; a failure propagates to the caller as a fault (a credential that
 * should be dead must never silently stay alive). Must be idempotent.
 */
@FunctionalInterface
public interface CredentialRevoker {

    /** Ends every credential of this kind that {@code userId} holds; a user with none is not an error. */
    void revokeAll(UserId userId);
}
