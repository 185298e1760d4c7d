package dev.portcullis.token;

import dev.portcullis.internal.DigestKey;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens whose signature and claims already passed, by the SHA-256 of the token text, so a
 * client presenting the same token again costs a hash and a map lookup instead of a public-key
 * verify (and instead of the shape checks: a hit is a token that passed them). Never by the token
 * itself, which would keep live credentials in the heap. Only fully verified tokens enter, and an
 * entry is only a shortcut past the signature: the caller re-checks expiry against its clock, the
 * key's presence in the key set and (strict mode) the user's epoch on every hit.
 *
 * <p>Bounded: when full, expired entries are swept; if it is still full, an arbitrary tenth is
 * dropped. Thread-safe and lock-free for readers.
 */
final class VerifiedTokenCache {

    /** What a hit needs to re-check. {@code notAfter} is {@code exp} plus the allowed skew. */
    record Entry(AccessTokenVerification.Valid valid, String keyId, Instant notAfter, int epoch) {
    }

    private final int maxEntries;
    private final Map<DigestKey, Entry> entries;

    VerifiedTokenCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 16));
    }

    boolean isEnabled() {
        return maxEntries > 0;
    }

    Optional<Entry> get(DigestKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    void put(DigestKey key, Entry entry, Instant now) {
        if (maxEntries == 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            evict(now);
        }
        entries.put(key, entry);
    }

    void remove(DigestKey key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    /** Removes expired entries. @return how many */
    int purge(Instant now) {
        int before = entries.size();
        entries.values().removeIf(e -> !now.isBefore(e.notAfter()));
        return Math.max(0, before - entries.size());
    }

    private void evict(Instant now) {
        purge(now);
        int excess = entries.size() - maxEntries + Math.max(1, maxEntries / 10);
        Iterator<DigestKey> it = entries.keySet().iterator();
        while (excess-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
