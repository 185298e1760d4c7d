package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SessionStore} in memory. Thread-safe; lookups are lock-free. */
public final class InMemorySessionStore implements SessionStore {

    private final Map<TokenDigest, SessionRecord> sessions = new ConcurrentHashMap<>();

    @Override
    public void insert(SessionRecord session) {
        sessions.put(session.id(), session);
    }

    @Override
    public Optional<SessionRecord> find(TokenDigest id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public void touch(TokenDigest id, Instant lastSeenAt) {
        sessions.computeIfPresent(id, (k, s) -> s.lastSeenAt().isBefore(lastSeenAt) ? s.withLastSeenAt(lastSeenAt) : s);
    }

    @Override
    public void recordProofs(TokenDigest id, Instant passwordAt, Instant secondFactorAt) {
        sessions.computeIfPresent(id, (k, s) -> s.withProofs(passwordAt, secondFactorAt));
    }

    @Override
    public boolean delete(TokenDigest id) {
        return sessions.remove(id) != null;
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        return removeIf(s -> s.userId().equals(userId));
    }

    @Override
    public int deleteAllForUserExcept(UserId userId, TokenDigest keep) {
        return removeIf(s -> s.userId().equals(userId) && !s.id().equals(keep));
    }

    @Override
    public List<SessionRecord> findAllForUser(UserId userId) {
        return sessions.values().stream()
                .filter(s -> s.userId().equals(userId))
                .sorted(Comparator.comparing(SessionRecord::createdAt).reversed())
                .toList();
    }

    @Override
    public int deleteExpired(Instant idleCutoff, Instant absoluteCutoff) {
        return removeIf(s -> s.lastSeenAt().isBefore(idleCutoff) || s.createdAt().isBefore(absoluteCutoff));
    }

    /**
     * Removes matching sessions, testing each against its current value under the map's per-key
     * lock: a {@code touch} racing a revocation must not let the touched session survive it.
     */
    private int removeIf(java.util.function.Predicate<SessionRecord> condition) {
        int[] removed = {0};
        for (TokenDigest id : sessions.keySet()) {
            sessions.computeIfPresent(id, (k, current) -> {
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
