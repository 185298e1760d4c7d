package dev.portcullis.token;

import dev.portcullis.Portcullis;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.spi.TokenEpochStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Not API: the token stores shared by {@link Tokens} and {@link ApiKeys}, and the revoker that
 * empties them whenever every credential of a user must die (log out everywhere, password change
 * or reset, email change, disable): it deletes the user's refresh tokens and API keys and, with an
 * epoch store, advances the user's token epoch so strict mode refuses access tokens issued before.
 * Built and registered by {@code Portcullis.Builder.build()}.
 */
public final class TokenState implements CredentialRevoker {

    private static final int MAX_CACHED_EPOCHS = 100_000;

    final RefreshTokenStore refreshTokens;
    final ApiKeyStore apiKeys;
    final Optional<EpochCache> epochs;

    public TokenState(RefreshTokenStore refreshTokens, ApiKeyStore apiKeys, Optional<TokenEpochStore> epochs) {
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.epochs = epochs.map(e -> new EpochCache(e, MAX_CACHED_EPOCHS));
    }

    @Override
    public void revokeAll(UserId userId) {
        epochs.ifPresent(e -> e.advance(userId));
        refreshTokens.deleteAllForUser(userId);
        apiKeys.deleteAllForUser(userId);
    }
}
