package dev.portcullis.internal;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one routine that ends every credential of a user: sessions (but the one to keep),
 * remember-me series, and whatever the revokers manage (refresh tokens, API keys, token epochs,
 * applications' own). Log out everywhere, password change and reset, email change and disable all
 * come through here, so no kind of credential can be forgotten by one of them.
 */
public final class Revocation {

    private final SessionStore sessions;
    private final Optional<RememberMeStore> rememberMe;
    private final List<CredentialRevoker> revokers;
    private final SessionLookupCache cache;
    private final RevocationPublisher publisher;

    public Revocation(SessionStore sessions, Optional<RememberMeStore> rememberMe, List<CredentialRevoker> revokers) {
        this(sessions, rememberMe, revokers, new SessionLookupCache(Duration.ZERO),
                new RevocationPublisher(RevocationBus.none()));
    }

    /** With the lookup cache and the bus, for {@link #accountChanged}. */
    public Revocation(SessionStore sessions, Optional<RememberMeStore> rememberMe, List<CredentialRevoker> revokers,
                      SessionLookupCache cache, RevocationPublisher publisher) {
        this.sessions = sessions;
        this.rememberMe = rememberMe;
        this.revokers = List.copyOf(revokers);
        this.cache = cache;
        this.publisher = publisher;
    }

    /**
     * An account change made outside the wrapped user store (a second factor enrolled or removed,
     * say) that cached lookups must not outlive: evicts this node's cache and publishes
     * {@link RevocationEvent.AccountChanged} to the others. Changes through the user store publish
     * by themselves.
     */
    public void accountChanged(UserId userId) {
        cache.invalidateUser(userId);
        publisher.publish(new RevocationEvent.AccountChanged(userId));
    }

    /** @return how many sessions ended */
    public int revokeAll(UserId userId, Optional<TokenDigest> keepSession) {
        int ended = keepSession.isPresent()
                ? sessions.deleteAllForUserExcept(userId, keepSession.get())
                : sessions.deleteAllForUser(userId);
        rememberMe.ifPresent(store -> store.deleteAllForUser(userId));
        for (CredentialRevoker revoker : revokers) {
            revoker.revokeAll(userId);
        }
        return ended;
    }
}
