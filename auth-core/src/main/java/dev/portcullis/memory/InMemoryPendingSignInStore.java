package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** {@link PendingSignInStore} in memory. Thread-safe; counting and consuming are atomic. */
public final class InMemoryPendingSignInStore implements PendingSignInStore {

    private final Map<TokenDigest, PendingSignIn> pending = new ConcurrentHashMap<>();

    @Override
    public void insert(PendingSignIn value) {
        pending.put(value.id(), value);
    }

    @Override
    public Optional<PendingSignIn> find(TokenDigest id) {
        return Optional.ofNullable(pending.get(id));
    }

    @Override
    public OptionalInt recordAttempt(TokenDigest id) {
        PendingSignIn after = pending.computeIfPresent(id, (k, p) -> new PendingSignIn(p.id(), p.userId(), p.stamp(),
                p.purpose(), p.createdAt(), p.expiresAt(), p.attempts() + 1));
        return after == null ? OptionalInt.empty() : OptionalInt.of(after.attempts());
    }

    @Override
    public Optional<PendingSignIn> consume(TokenDigest id) {
        return Optional.ofNullable(pending.remove(id));
    }

    @Override
    public int deleteExpired(Instant now) {
        int removed = 0;
        for (PendingSignIn p : pending.values()) {
            if (p.expiresAt().isBefore(now) && pending.remove(p.id(), p)) {
                removed++;
            }
        }
        return removed;
    }
}
