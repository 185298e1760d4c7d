package dev.portcullis.token;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.TokenEpochStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict mode's per-user token epochs, read through a short-lived local cache so a verify does not
 * cost a store round trip. A revocation on this node drops the user's entry at once; on other
 * nodes through the revocation bus, else when their entry ages out ({@code ttl}). Bounded: cleared when full.
 * Thread-safe.
 */
final class EpochCache {

    private record Cached(int epoch, Instant fetchedAt) {
    }

    private final TokenEpochStore store;
    private final int maxEntries;
    private final Map<UserId, Cached> entries = new ConcurrentHashMap<>();

    EpochCache(TokenEpochStore store, int maxEntries) {
        this.store = store;
        this.maxEntries = maxEntries;
    }

    int current(UserId userId, Clock clock, Duration ttl) {
        Instant now = clock.instant();
        Cached c = entries.get(userId);
        if (c != null && now.isBefore(c.fetchedAt().plus(ttl)) && !now.isBefore(c.fetchedAt())) {
            return c.epoch();
        }
        int epoch = store.current(userId);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(userId, new Cached(epoch, now));
        return epoch;
    }

    /** Fresh from the store, for issuing: a stale epoch would mint tokens that are born revoked. */
    int currentUncached(UserId userId) {
        return store.current(userId);
    }

    void advance(UserId userId) {
        store.advance(userId);
        entries.remove(userId);
    }

    /** The epoch moved on another node (revocation bus). */
    void forget(UserId userId) {
        entries.remove(userId);
    }

    void clear() {
        entries.clear();
    }
}
