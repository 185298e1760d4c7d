package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persists personal access tokens (API keys) by digest. Thread-safe; holds no rules (the core
 * decides expiry, scopes and how often to record use). Operations on an absent key change nothing
 * and do not fail. May throw {@link StoreException}, and only that.
 */
public interface ApiKeyStore {

    /** Adds a key; digest and id are fresh random values, so collisions need not be handled. */
    void insert(ApiKeyRecord key);

    /** The key as stored, expired ones included: the core decides. */
    Optional<ApiKeyRecord> findByDigest(TokenDigest digest);

    /** The user's keys, newest first. */
    List<ApiKeyRecord> findAllForUser(UserId userId);

    /** Records use; never moves {@code lastUsedAt} backwards. */
    void touch(TokenDigest digest, Instant lastUsedAt);

    /**
     * Removes the key with this public id if it belongs to {@code userId} (a user cannot revoke
     * another's key by guessing ids). @return whether a key was removed
     */
    boolean delete(UserId userId, String id);

    /** @return how many keys were removed */
    int deleteAllForUser(UserId userId);

    /** Housekeeping: removes keys whose {@code expiresAt} is before {@code cutoff}. @return how many */
    int deleteExpired(Instant cutoff);
}
