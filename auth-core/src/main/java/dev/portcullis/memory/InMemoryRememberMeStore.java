package dev.portcullis.memory;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/** {@link RememberMeStore} in memory. Thread-safe. */
public final class InMemoryRememberMeStore implements RememberMeStore {

    private final Map<String, RememberMeRecord> tokens = new ConcurrentHashMap<>();

    @Override
    public void insert(RememberMeRecord token) {
        tokens.put(token.selector(), token);
    }

    @Override
    public Optional<RememberMeRecord> find(String selector) {
        return Optional.ofNullable(tokens.get(selector));
    }

    @Override
    public boolean markReplaced(String selector, Instant at) {
        AtomicBoolean won = new AtomicBoolean();
        tokens.computeIfPresent(selector, (k, t) -> {
            if (t.replacedAt() != null) {
                return t;
            }
            won.set(true);
            return t.withReplacedAt(at);
        });
        return won.get();
    }

    @Override
    public int deleteSeries(String seriesId) {
        return removeIf(t -> t.seriesId().equals(seriesId));
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        return removeIf(t -> t.userId().equals(userId));
    }

    @Override
    public int deleteExpired(Instant now) {
        return removeIf(t -> t.expiresAt().isBefore(now));
    }

    /** Decides under each key's lock, so a concurrent markReplaced cannot make a revocation miss. */
    private int removeIf(Predicate<RememberMeRecord> condition) {
        java.util.concurrent.atomic.AtomicInteger removed = new java.util.concurrent.atomic.AtomicInteger();
        for (String selector : tokens.keySet()) {
            tokens.computeIfPresent(selector, (k, t) -> {
                if (condition.test(t)) {
                    removed.incrementAndGet();
                    return null;
                }
                return t;
            });
        }
        return removed.get();
    }
}
