package dev.portcullis.internal;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.SessionStore;
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

    public Revocation(SessionStore sessions, Optional<RememberMeStore> rememberMe, List<CredentialRevoker> revokers) {
        this.sessions = sessions;
        this.rememberMe = rememberMe;
        this.revokers = List.copyOf(revokers);
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
