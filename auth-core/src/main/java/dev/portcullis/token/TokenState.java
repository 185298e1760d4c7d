package dev.portcullis.token;

import dev.portcullis.Portcullis;

import dev.portcullis.model.UserId;
import dev.portcullis.internal.RevocationPublisher;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
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
 * Built and registered by {@code PortcullisBuilder.build()}.
 */
public final class TokenState implements CredentialRevoker, RevocationListener {

    private static final int MAX_CACHED_EPOCHS = 100_000;

    final RefreshTokenStore refreshTokens;
    final ApiKeyStore apiKeys;
    final Optional<EpochCache> epochs;
    private final RevocationPublisher publisher;

    public TokenState(RefreshTokenStore refreshTokens, ApiKeyStore apiKeys, Optional<TokenEpochStore> epochs) {
        this(refreshTokens, apiKeys, epochs, RevocationBus.none());
    }

    /**
     * With a revocation bus: family revocations and epoch advances are published, and received
     * epoch advances evict the epoch cache ({@link #received}).
     */
    public TokenState(RefreshTokenStore refreshTokens, ApiKeyStore apiKeys, Optional<TokenEpochStore> epochs,
                      RevocationBus bus) {
        this.publisher = new RevocationPublisher(bus);
        this.refreshTokens = publisher.refreshTokens(Objects.requireNonNull(refreshTokens, "refreshTokens"));
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.epochs = epochs.map(e -> new EpochCache(e, MAX_CACHED_EPOCHS));
    }

    @Override
    public void revokeAll(UserId userId) {
        epochs.ifPresent(e -> {
            e.advance(userId);
            publisher.publish(new RevocationEvent.TokenEpochAdvanced(userId));
        });
        refreshTokens.deleteAllForUser(userId);
        apiKeys.deleteAllForUser(userId);
    }

    /** Another node advanced a user's epoch: forget the cached one. */
    @Override
    public void received(RevocationEvent event) {
        if (event instanceof RevocationEvent.TokenEpochAdvanced e) {
            epochs.ifPresent(cache -> cache.forget(e.user()));
        }
    }

    /** The bus missed what was published while it was down: forget every cached epoch. */
    @Override
    public void connectionRestored() {
        epochs.ifPresent(EpochCache::clear);
    }
}
