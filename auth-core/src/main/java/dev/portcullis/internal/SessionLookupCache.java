package dev.portcullis.internal;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-node cache behind {@code Sessions.currentUser}: session digest → the session's
 * timestamps and the resolved {@link CurrentUser}, for {@link SessionPolicy#lookupCacheTtl()}
 * (measured with the injected clock). A hit still checks the idle and absolute timeouts against
 * the clock, and a session whose last-seen time is due to be written is always read from the
 * store again, so neither expiry nor touching changes.
 *
 * <p>Every change made through this {@code Portcullis} invalidates at once: the stores are
 * wrapped ({@link #users}, {@link #sessions}) so that any session delete and any account change
 * drops the affected entries after the store has changed. Changes made elsewhere (another node,
 * direct writes to the database) are seen within the TTL, or at once through a revocation bus
 * ({@link CacheEviction}). With a bus the TTL is the longer {@link SessionPolicy#lookupCacheTtlWithBus()};
 * while the bus is down ({@link #busDown()}) entries count as fresh only for the short
 * {@code fallbackTtl}, and when it is back ({@link #busRestored()}) everything is flushed. A generation counter keeps a lookup that
 * raced with an invalidation from caching what it read before the change. Bounded: when full, the
 * cache is emptied. Thread-safe.
 */
public final class SessionLookupCache {

    static final int MAX_ENTRIES = 10_000;

    private record Entry(UserId userId, Instant createdAt, Instant lastSeenAt, Optional<CurrentUser> user,
                         Instant cachedAt) {
    }

    private record AccountEntry(Optional<CurrentUser> user, Instant cachedAt) {
    }

    private final Duration ttl;
    private final Duration fallbackTtl;
    private volatile boolean busDown;
    private final ConcurrentHashMap<DigestKey, Entry> entries = new ConcurrentHashMap<>();
    /** user id → the enabled account as a session-less {@link CurrentUser}, for bearer callers. */
    private final ConcurrentHashMap<UserId, AccountEntry> accounts = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public SessionLookupCache(Duration ttl) {
        this(ttl, ttl);
    }

    /**
     * @param ttl         how long an entry is fresh while the revocation bus is up (or without a bus)
     * @param fallbackTtl how long while the bus is down
     */
    public SessionLookupCache(Duration ttl, Duration fallbackTtl) {
        this.ttl = ttl;
        this.fallbackTtl = fallbackTtl;
    }

    /** The bus lost its connection: entries are fresh only for the fallback TTL from now on. */
    public void busDown() {
        busDown = true;
    }

    /** The bus is connected again: what it missed is unknown, so everything goes. */
    public void busRestored() {
        invalidateAll();
        busDown = false;
    }

    private Duration liveTtl() {
        return busDown ? fallbackTtl : ttl;
    }

    public boolean enabled() {
        return !ttl.isZero();
    }

    /**
     * A cached resolution that is still fresh, whose session has not expired at {@code now}, and
     * whose last-seen time is not yet due to be written; otherwise null (read the store).
     *
     * @param id the key of the session token's digest, {@code DigestKey.of(token.value())}: a hit
     *           builds no hex digest
     */
    public Optional<CurrentUser> get(DigestKey id, Instant now, SessionPolicy policy) {
        if (!enabled()) {
            return null;
        }
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        if (now.isBefore(e.cachedAt) || !now.isBefore(e.cachedAt.plus(liveTtl()))
                || !now.isBefore(e.lastSeenAt.plus(policy.idleTimeout()))
                || !now.isBefore(e.createdAt.plus(policy.absoluteTimeout()))
                || !now.isBefore(e.lastSeenAt.plus(policy.touchInterval()))) {
            entries.remove(id, e);
            return null;
        }
        return e.user;
    }

    /** Read before the store lookups whose result {@link #put} may cache. */
    public long generation() {
        return generation.get();
    }

    public void put(TokenDigest id, SessionRecord session, Instant lastSeenAt, CurrentUser user, Instant now,
             long generationBefore) {
        if (!enabled()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Entry e = new Entry(session.userId(), session.createdAt(), lastSeenAt, Optional.of(user), now);
        DigestKey key = DigestKey.of(id);
        entries.put(key, e);
        if (generation.get() != generationBefore) {
            entries.remove(key, e); // an invalidation ran meanwhile: what we read may predate it
        }
    }

    /** A fresh cached account lookup, or null (read the store). */
    public Optional<CurrentUser> account(UserId id, Instant now) {
        if (!enabled()) {
            return null;
        }
        AccountEntry e = accounts.get(id);
        if (e == null) {
            return null;
        }
        if (now.isBefore(e.cachedAt) || !now.isBefore(e.cachedAt.plus(liveTtl()))) {
            accounts.remove(id, e);
            return null;
        }
        return e.user;
    }

    public void putAccount(UserId id, Optional<CurrentUser> user, Instant now, long generationBefore) {
        if (!enabled()) {
            return;
        }
        if (accounts.size() >= MAX_ENTRIES) {
            accounts.clear();
        }
        AccountEntry e = new AccountEntry(user, now);
        accounts.put(id, e);
        if (generation.get() != generationBefore) {
            accounts.remove(id, e);
        }
    }

    public void invalidate(TokenDigest id) {
        generation.incrementAndGet();
        entries.remove(DigestKey.of(id));
    }

    public void invalidateUser(UserId userId) {
        generation.incrementAndGet();
        entries.values().removeIf(e -> e.userId.equals(userId));
        accounts.remove(userId);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
        accounts.clear();
    }

    public int size() {
        return entries.size();
    }

    /** The user store as {@code Portcullis} uses it: every change invalidates that user's entries. */
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
                    invalidateUser(id);
                }
            }

            @Override
            public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
                try {
                    return delegate.updateEmail(id, newEmail, verified);
                } finally {
                    invalidateUser(id);
                }
            }

            @Override
            public void markEmailVerified(UserId id) {
                try {
                    delegate.markEmailVerified(id);
                } finally {
                    invalidateUser(id);
                }
            }

            @Override
            public void setDisabled(UserId id, boolean disabled) {
                try {
                    delegate.setDisabled(id, disabled);
                } finally {
                    invalidateUser(id);
                }
            }

            @Override
            public void setRoles(UserId id, Set<String> roles) {
                try {
                    delegate.setRoles(id, roles);
                } finally {
                    invalidateUser(id);
                }
            }
        };
    }

    /** The session store as {@code Portcullis} uses it: every delete invalidates. */
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
            public void recordProofs(TokenDigest id, Instant passwordAt, Instant secondFactorAt) {
                delegate.recordProofs(id, passwordAt, secondFactorAt);
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
                    invalidate(id);
                }
            }

            @Override
            public int deleteAllForUser(UserId userId) {
                try {
                    return delegate.deleteAllForUser(userId);
                } finally {
                    invalidateUser(userId);
                }
            }

            @Override
            public int deleteAllForUserExcept(UserId userId, TokenDigest keep) {
                try {
                    return delegate.deleteAllForUserExcept(userId, keep);
                } finally {
                    invalidateUser(userId);
                }
            }

            @Override
            public List<SessionRecord> findAllForUser(UserId userId) {
                return delegate.findAllForUser(userId);
            }

            @Override
            public int deleteExpired(Instant idleCutoff, Instant absoluteCutoff) {
                try {
                    return delegate.deleteExpired(idleCutoff, absoluteCutoff);
                } finally {
                    invalidateAll();
                }
            }
        };
    }
}
