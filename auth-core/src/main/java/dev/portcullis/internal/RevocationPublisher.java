package dev.portcullis.internal;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes on the {@link RevocationBus} every change that must reach the other nodes' caches. Like
 * the lookup cache, it wraps the stores, so no path that ends a session or changes an account (logout,
 * {@link Revocation}, account changes, resets, remember-me theft) can forget to publish: a session
 * delete publishes {@link RevocationEvent.SessionEnded}, a per-user delete {@link
 * RevocationEvent.UserSessionsEnded}, an account write {@link RevocationEvent.AccountChanged}, a
 * refresh family delete {@link RevocationEvent.RefreshFamilyRevoked}. Events are published after
 * the store changed, even when the store call failed halfway (a spurious eviction costs one read).
 * A failing bus is logged and ignored: the change is stored, and other nodes see it within their
 * cache TTL. With {@link RevocationBus#none()} the stores are returned unwrapped.
 */
public final class RevocationPublisher {

    private static final System.Logger LOG = System.getLogger(RevocationPublisher.class.getName());

    private final RevocationBus bus;

    public RevocationPublisher(RevocationBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    public boolean enabled() {
        return !RevocationBus.isNone(bus);
    }

    /** Sends one event; a bus fault is logged (without the id) and swallowed. */
    public void publish(RevocationEvent event) {
        if (!enabled()) {
            return;
        }
        try {
            bus.publish(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "revocation bus publish failed ({0}); other nodes fall back to "
                    + "their cache TTL: {1}", event.getClass().getSimpleName(), e.toString());
        }
    }

    /** The user store: every account write publishes {@link RevocationEvent.AccountChanged}. */
    public UserStore users(UserStore delegate) {
        if (!enabled()) {
            return delegate;
        }
        return new UserStore() {
            @Override
            public Optional<StoredUser> findByEmail(EmailAddress email) {
                return delegate.findByEmail(email);
            }

            @Override
            public Optional<StoredUser> findById(UserId id) {
                return delegate.findById(id);
            }

            @Override
            public boolean insert(StoredUser user) {
                return delegate.insert(user);
            }

            @Override
            public Optional<UserId> insertReturningId(StoredUser user) {
                return delegate.insertReturningId(user);
            }

            @Override
            public boolean canStore(PasswordHash hash) {
                return delegate.canStore(hash);
            }

            @Override
            public void updatePasswordHash(UserId id, PasswordHash newHash) {
                try {
                    delegate.updatePasswordHash(id, newHash);
                } finally {
                    publish(new RevocationEvent.AccountChanged(id));
                }
            }

            @Override
            public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
                try {
                    return delegate.updateEmail(id, newEmail, verified);
                } finally {
                    publish(new RevocationEvent.AccountChanged(id));
                }
            }

            @Override
            public void markEmailVerified(UserId id) {
                try {
                    delegate.markEmailVerified(id);
                } finally {
                    publish(new RevocationEvent.AccountChanged(id));
                }
            }

            @Override
            public void setDisabled(UserId id, boolean disabled) {
                try {
                    delegate.setDisabled(id, disabled);
                } finally {
                    publish(new RevocationEvent.AccountChanged(id));
                }
            }

            @Override
            public void setRoles(UserId id, Set<String> roles) {
                try {
                    delegate.setRoles(id, roles);
                } finally {
                    publish(new RevocationEvent.AccountChanged(id));
                }
            }
        };
    }

    /**
     * The session store: deletes publish. Purging expired sessions publishes nothing: every node
     * checks the timeouts against its clock on each hit anyway.
     */
    public SessionStore sessions(SessionStore delegate) {
        if (!enabled()) {
            return delegate;
        }
        return new SessionStore() {
            @Override
            public void insert(SessionRecord session) {
                delegate.insert(session);
            }

            @Override
            public Optional<SessionRecord> find(TokenDigest id) {
                return delegate.find(id);
            }

            @Override
            public void touch(TokenDigest id, Instant lastSeenAt) {
                delegate.touch(id, lastSeenAt);
            }

            @Override
            public boolean delete(TokenDigest id) {
                try {
                    return delegate.delete(id);
                } finally {
                    publish(new RevocationEvent.SessionEnded(id));
                }
            }

            @Override
            public int deleteAllForUser(UserId userId) {
                try {
                    return delegate.deleteAllForUser(userId);
                } finally {
                    publish(new RevocationEvent.UserSessionsEnded(userId));
                }
            }

            @Override
            public int deleteAllForUserExcept(UserId userId, TokenDigest keep) {
                try {
                    return delegate.deleteAllForUserExcept(userId, keep);
                } finally {
                    publish(new RevocationEvent.UserSessionsEnded(userId));
                }
            }

            @Override
            public List<SessionRecord> findAllForUser(UserId userId) {
                return delegate.findAllForUser(userId);
            }

            @Override
            public int deleteExpired(Instant idleCutoff, Instant absoluteCutoff) {
                return delegate.deleteExpired(idleCutoff, absoluteCutoff);
            }
        };
    }

    /** The refresh-token store: a family delete publishes {@link RevocationEvent.RefreshFamilyRevoked}. */
    public RefreshTokenStore refreshTokens(RefreshTokenStore delegate) {
        if (!enabled()) {
            return delegate;
        }
        return new RefreshTokenStore() {
            @Override
            public void insert(RefreshTokenRecord token) {
                delegate.insert(token);
            }

            @Override
            public Optional<RefreshTokenRecord> find(TokenDigest id) {
                return delegate.find(id);
            }

            @Override
            public boolean markUsed(TokenDigest id, Instant usedAt) {
                return delegate.markUsed(id, usedAt);
            }

            @Override
            public int deleteFamily(String familyId) {
                try {
                    return delegate.deleteFamily(familyId);
                } finally {
                    publish(new RevocationEvent.RefreshFamilyRevoked(familyId));
                }
            }

            @Override
            public int deleteAllForUser(UserId userId) {
                return delegate.deleteAllForUser(userId);
            }

            @Override
            public int deleteExpired(Instant cutoff) {
                return delegate.deleteExpired(cutoff);
            }
        };
    }
}
