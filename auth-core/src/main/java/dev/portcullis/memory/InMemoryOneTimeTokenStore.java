package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.TokenPurpose;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** {@link OneTimeTokenStore} in memory. Thread-safe; consumption is atomic. */
public final class InMemoryOneTimeTokenStore implements OneTimeTokenStore {

    private final Map<TokenDigest, OneTimeTokenRecord> tokens = new ConcurrentHashMap<>();

    @Override
    public void insert(OneTimeTokenRecord token) {
        tokens.put(token.id(), token);
    }

    @Override
    public Optional<OneTimeTokenRecord> find(TokenDigest id) {
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public Optional<OneTimeTokenRecord> consume(TokenDigest id, TokenPurpose purpose) {
        AtomicReference<OneTimeTokenRecord> taken = new AtomicReference<>();
        tokens.computeIfPresent(id, (k, t) -> {
            if (t.purpose() != purpose) {
                return t;
            }
            taken.set(t);
            return null;
        });
        return Optional.ofNullable(taken.get());
    }

    @Override
    public int deleteAllForUser(UserId userId, TokenPurpose purpose) {
        return removeIf(t -> t.userId().equals(userId) && t.purpose() == purpose);
    }

    @Override
    public int deleteExpired(Instant now) {
        return removeIf(t -> t.expiresAt().isBefore(now));
    }

    private int removeIf(Predicate<OneTimeTokenRecord> condition) {
        int removed = 0;
        for (OneTimeTokenRecord t : tokens.values()) {
            if (condition.test(t) && tokens.remove(t.id(), t)) {
                removed++;
            }
        }
        return removed;
    }
}
