package dev.portcullis.token;

import dev.portcullis.memory.InMemoryApiKeyStore;
import dev.portcullis.memory.InMemoryRefreshTokenStore;
import dev.portcullis.memory.InMemoryTokenEpochStore;
import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.spi.TokenEpochStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The stores behind {@link TokenService}, and the {@link CredentialRevoker} that empties them.
 * Made first, because both facades need it: {@code Portcullis} takes {@link #credentialRevoker()}
 * when it is built, and {@code TokenService} (which needs that {@code Portcullis}) takes these
 * stores. Immutable and thread-safe.
 *
 * <pre>{@code
 * TokenStores tokenStores = TokenStores.inMemory();
 * Portcullis auth = Portcullis.builder()....credentialRevoker(tokenStores.credentialRevoker()).build();
 * TokenService tokens = TokenService.builder().portcullis(auth).stores(tokenStores)....build();
 * }</pre>
 */
public final class TokenStores {

    private static final int MAX_CACHED_EPOCHS = 100_000;

    private final RefreshTokenStore refreshTokens;
    private final ApiKeyStore apiKeys;
    private final Optional<EpochCache> epochs;
    private final CredentialRevoker revoker;

    private TokenStores(RefreshTokenStore refreshTokens, ApiKeyStore apiKeys, Optional<TokenEpochStore> epochs) {
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.epochs = epochs.map(e -> new EpochCache(e, MAX_CACHED_EPOCHS));
        this.revoker = this::revokeAll;
    }

    /** Refresh tokens and API keys; no strict mode. */
    public static TokenStores of(RefreshTokenStore refreshTokens, ApiKeyStore apiKeys) {
        return new TokenStores(refreshTokens, apiKeys, Optional.empty());
    }

    /** Refresh tokens, API keys and per-user token epochs, which strict mode needs. */
    public static TokenStores of(RefreshTokenStore refreshTokens, ApiKeyStore apiKeys, TokenEpochStore epochs) {
        return new TokenStores(refreshTokens, apiKeys, Optional.of(Objects.requireNonNull(epochs, "epochs")));
    }

    /** All three in memory: one node, tokens lost on restart. */
    public static TokenStores inMemory() {
        return of(new InMemoryRefreshTokenStore(), new InMemoryApiKeyStore(), new InMemoryTokenEpochStore());
    }

    /**
     * Register with {@code Portcullis.builder().credentialRevoker(..)}. Whenever every credential
     * of a user must die (log out everywhere, password change or reset, account disabled) it
     * deletes the user's refresh tokens and API keys and, when an epoch store is present, advances
     * the user's token epoch so strict mode refuses access tokens issued before. Idempotent in
     * effect; store faults propagate.
     */
    public CredentialRevoker credentialRevoker() {
        return revoker;
    }

    RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    ApiKeyStore apiKeys() {
        return apiKeys;
    }

    Optional<EpochCache> epochs() {
        return epochs;
    }

    private void revokeAll(dev.portcullis.model.UserId userId) {
        epochs.ifPresent(e -> e.advance(userId));
        refreshTokens.deleteAllForUser(userId);
        apiKeys.deleteAllForUser(userId);
    }
}
