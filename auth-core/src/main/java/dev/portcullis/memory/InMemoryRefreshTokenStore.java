package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** {@link RefreshTokenStore} in memory. Thread-safe; lookups are lock-free, use-once is a per-key CAS. */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {

    private final Map<TokenDigest, RefreshTokenRecord> tokens = new ConcurrentHashMap<>();

    @Override
    public void insert(RefreshTokenRecord token) {
        tokens.put(token.id(), token);
    }

    @Override
    public Optional<RefreshTokenRecord> find(TokenDigest id) {
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public boolean markUsed(TokenDigest id, Instant usedAt) {
        boolean[] marked = {false};
        tokens.computeIfPresent(id, (k, t) -> {
            if (t.usedAt().isPresent()) {
                return t;
            }
            marked[0] = true;
            return t.withUsedAt(usedAt);
        });
        return marked[0];
    }

    @Override
    public int deleteFamily(String familyId) {
        return removeIf(t -> t.familyId().equals(familyId));
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        return removeIf(t -> t.userId().equals(userId));
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        return removeIf(t -> t.expiresAt().isBefore(cutoff));
    }

    private int removeIf(Predicate<RefreshTokenRecord> condition) {
        int[] removed = {0};
        for (TokenDigest id : tokens.keySet()) {
            tokens.computeIfPresent(id, (k, current) -> {
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
