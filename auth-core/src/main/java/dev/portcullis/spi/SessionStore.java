package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persists server-side sessions by token digest. Thread-safe; holds no rules (the core decides
 * when a session has expired). Operations on an absent id change nothing and do not fail. May
 * throw {@link StoreException}, and only that.
 */
public interface SessionStore {

    /** Adds a session; its id is fresh random, so collisions need not be handled. */
    void insert(SessionRecord session);

    /** The session as stored, expired or not: the core decides expiry. */
    Optional<SessionRecord> find(TokenDigest id);

    /** Records use; never moves {@code lastSeenAt} backwards. */
    void touch(TokenDigest id, Instant lastSeenAt);

    /** @return whether a session was removed */
    boolean delete(TokenDigest id);

    /** @return how many sessions were removed */
    int deleteAllForUser(UserId userId);

    /** Removes every session of the user except {@code keep}. @return how many were removed */
    int deleteAllForUserExcept(UserId userId, TokenDigest keep);

    /**
     * Records a fresh proof in the session (step-up re-authentication): sets {@code passwordAt}
     * and/or {@code secondFactorAt} to the given instants; a null argument leaves that value as it
     * is. Nothing happens for an absent id. {@link #insert} and {@link #find} must keep both values.
     *
     * <p>The default throws {@link UnsupportedOperationException}, so that a store written before
     * step-up still compiles: with it, re-authentication is unavailable and every sensitive action
     * of an account with a second factor asks for re-authentication. {@code SessionStoreContract}
     * expects the update.
     */
    default void recordProofs(TokenDigest id, Instant passwordAt, Instant secondFactorAt) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not record re-authentication: implement SessionStore.recordProofs");
    }

    /** The user's sessions, newest first. */
    List<SessionRecord> findAllForUser(UserId userId);

    /**
     * Housekeeping: removes sessions last seen before {@code idleCutoff} or created before
     * {@code absoluteCutoff}. @return how many were removed
     */
    int deleteExpired(Instant idleCutoff, Instant absoluteCutoff);
}
