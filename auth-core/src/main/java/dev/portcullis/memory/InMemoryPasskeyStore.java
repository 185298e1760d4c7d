package dev.portcullis.memory;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.PasskeyStore;
import dev.portcullis.spi.StoredPasskey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Passkeys in a map. Thread-safe; every conditional change is one atomic map operation. */
public final class InMemoryPasskeyStore implements PasskeyStore {

    private final ConcurrentMap<String, StoredPasskey> byId = new ConcurrentHashMap<>();

    @Override
    public boolean insert(StoredPasskey passkey) {
        return byId.putIfAbsent(passkey.credentialId(), passkey) == null;
    }

    @Override
    public Optional<StoredPasskey> find(String credentialId) {
        return Optional.ofNullable(byId.get(credentialId));
    }

    @Override
    public List<StoredPasskey> findByUser(UserId userId) {
        List<StoredPasskey> found = new ArrayList<>();
        for (StoredPasskey p : byId.values()) {
            if (p.userId().equals(userId)) {
                found.add(p);
            }
        }
        found.sort(Comparator.comparing(StoredPasskey::createdAt).thenComparing(StoredPasskey::credentialId));
        return found;
    }

    @Override
    public boolean recordUse(String credentialId, long expectedCount, long newCount, boolean backedUp, Instant usedAt) {
        boolean[] changed = {false};
        byId.computeIfPresent(credentialId, (id, p) -> {
            if (p.signCount() != expectedCount) {
                return p;
            }
            changed[0] = true;
            return p.withUse(newCount, backedUp, usedAt);
        });
        return changed[0];
    }

    @Override
    public boolean rename(UserId userId, String credentialId, String name) {
        boolean[] changed = {false};
        byId.computeIfPresent(credentialId, (id, p) -> {
            if (!p.userId().equals(userId)) {
                return p;
            }
            changed[0] = true;
            return p.withName(name);
        });
        return changed[0];
    }

    @Override
    public boolean delete(UserId userId, String credentialId) {
        StoredPasskey p = byId.get(credentialId);
        return p != null && p.userId().equals(userId) && byId.remove(credentialId, p);
    }
}
