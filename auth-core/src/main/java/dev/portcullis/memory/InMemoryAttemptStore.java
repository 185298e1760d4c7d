package dev.portcullis.memory;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AttemptStore} in memory (one node only). Counting is atomic per key. */
public final class InMemoryAttemptStore implements AttemptStore {

    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();

    @Override
    public Attempts recordFailure(String key, Instant now, Instant resetBefore) {
        return attempts.compute(key, (k, a) -> a == null || a.windowStart().isBefore(resetBefore)
                ? new Attempts(1, now, now)
                : new Attempts(a.failures() + 1, a.windowStart(), now.isAfter(a.lastFailureAt()) ? now : a.lastFailureAt()));
    }

    @Override
    public Optional<Attempts> find(String key) {
        return Optional.ofNullable(attempts.get(key));
    }

    @Override
    public void release(String key) {
        attempts.computeIfPresent(key, (k, a) -> a.failures() <= 1 ? null
                : new Attempts(a.failures() - 1, a.windowStart(), a.lastFailureAt()));
    }

    @Override
    public void clear(String key) {
        attempts.remove(key);
    }

    @Override
    public int deleteOlderThan(Instant cutoff) {
        int removed = 0;
        for (Map.Entry<String, Attempts> e : attempts.entrySet()) {
            if (e.getValue().lastFailureAt().isBefore(cutoff) && attempts.remove(e.getKey(), e.getValue())) {
                removed++;
            }
        }
        return removed;
    }
}
