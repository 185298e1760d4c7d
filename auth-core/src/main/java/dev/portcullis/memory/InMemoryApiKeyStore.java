package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** {@link ApiKeyStore} in memory. Thread-safe; lookups by digest are lock-free. */
public final class InMemoryApiKeyStore implements ApiKeyStore {

    private final Map<TokenDigest, ApiKeyRecord> keys = new ConcurrentHashMap<>();

    @Override
    public void insert(ApiKeyRecord key) {
        keys.put(key.digest(), key);
    }

    @Override
    public Optional<ApiKeyRecord> findByDigest(TokenDigest digest) {
        return Optional.ofNullable(keys.get(digest));
    }

    @Override
    public List<ApiKeyRecord> findAllForUser(UserId userId) {
        return keys.values().stream()
                .filter(k -> k.userId().equals(userId))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).reversed())
                .toList();
    }

    @Override
    public void touch(TokenDigest digest, Instant lastUsedAt) {
        keys.computeIfPresent(digest, (d, k) ->
                k.lastUsedAt().isEmpty() || k.lastUsedAt().get().isBefore(lastUsedAt) ? k.withLastUsedAt(lastUsedAt) : k);
    }

    @Override
    public boolean delete(UserId userId, String id) {
        return removeIf(k -> k.userId().equals(userId) && k.id().equals(id)) > 0;
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        return removeIf(k -> k.userId().equals(userId));
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        return removeIf(k -> k.expiresAt().isBefore(cutoff));
    }

    /** Tests each key against its current value under the map's per-key lock, so a racing touch cannot revive it. */
    private int removeIf(Predicate<ApiKeyRecord> condition) {
        int[] removed = {0};
        for (TokenDigest digest : keys.keySet()) {
            keys.computeIfPresent(digest, (d, current) -> {
                if (condition.test(current)) {
                    removed[0]++;
                    return null;
                }
                return current;
            });
        }
        return removed[0];
    }
}
