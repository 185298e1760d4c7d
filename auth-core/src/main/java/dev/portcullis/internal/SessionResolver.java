package dev.portcullis.internal;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Who is behind a session token or a user id, through the per-node lookup cache. Shared by every
 * service that acts on "the signed-in user" (current user, password and address change, remember-me
 * issuance, bearer callers), so they all see the same expiry and revocation rules.
 */
public final class SessionResolver {

    private final UserStore users;
    private final SessionStore sessions;
    private final SessionLookupCache cache;
    private final SessionPolicy policy;
    private final Clock clock;

    public SessionResolver(UserStore users, SessionStore sessions, SessionLookupCache cache, SessionPolicy policy,
                           Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.cache = cache;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The user of a session that exists, has passed neither timeout and whose account is enabled.
     * An expired session, or one of a disabled account, is deleted.
     */
    public Optional<CurrentUser> currentUser(SessionToken token) {
        if (cache.enabled()) { // a hit needs only the digest's key, not its hex form
            Optional<CurrentUser> cached = cache.get(DigestKey.of(token.value()), clock.instant(), policy);
            if (cached != null) {
                return cached;
            }
        }
        TokenDigest id = token.digest();
        long generation = cache.generation();
        Optional<SessionRecord> found = sessions.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord session = found.get();
        Instant now = clock.instant();
        if (isExpired(session, now)) {
            sessions.delete(id);
            return Optional.empty();
        }
        Optional<StoredUser> user = users.findById(session.userId());
        if (user.isEmpty() || user.get().disabled()) {
            sessions.delete(id);
            return Optional.empty();
        }
        Instant lastSeen = session.lastSeenAt();
        if (!now.isBefore(lastSeen.plus(policy.touchInterval()))) {
            sessions.touch(id, now);
            lastSeen = now;
        }
        StoredUser u = user.get();
        CurrentUser current = new CurrentUser(u.id(), u.email(), u.roles(), u.emailVerified(), u.createdAt(), id);
        cache.put(id, session, lastSeen, current, now, generation);
        return Optional.of(current);
    }

    /** The enabled account behind a stateless credential; {@link CurrentUser#sessionId()} is null. */
    public Optional<CurrentUser> account(UserId userId) {
        Instant now = clock.instant();
        Optional<CurrentUser> cached = cache.account(userId, now);
        if (cached != null) {
            return cached;
        }
        long generation = cache.generation();
        Optional<CurrentUser> account = users.findById(userId).filter(u -> !u.disabled())
                .map(u -> new CurrentUser(u.id(), u.email(), u.roles(), u.emailVerified(), u.createdAt(), null));
        cache.putAccount(userId, account, now, generation);
        return account;
    }

    public boolean isExpired(SessionRecord session, Instant now) {
        return !now.isBefore(session.lastSeenAt().plus(policy.idleTimeout()))
                || !now.isBefore(session.createdAt().plus(policy.absoluteTimeout()));
    }
}
