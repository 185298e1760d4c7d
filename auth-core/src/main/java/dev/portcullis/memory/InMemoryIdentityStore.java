package dev.portcullis.memory;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.IdentityStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link IdentityStore} in memory. Thread-safe: every method holds the one lock, the maps are small. */
public final class InMemoryIdentityStore implements IdentityStore {

    private record Key(String issuer, String subject) {
    }

    private final Map<Key, IdentityRecord> identities = new LinkedHashMap<>();

    @Override
    public synchronized Optional<IdentityRecord> find(String issuer, String subject) {
        return Optional.ofNullable(identities.get(new Key(issuer, subject)));
    }

    @Override
    public synchronized List<IdentityRecord> findAllForUser(UserId userId) {
        List<IdentityRecord> found = new ArrayList<>();
        for (IdentityRecord identity : identities.values()) {
            if (identity.userId().equals(userId)) {
                found.add(identity);
            }
        }
        found.sort(Comparator.comparing(IdentityRecord::linkedAt));
        return List.copyOf(found);
    }

    @Override
    public synchronized boolean insert(IdentityRecord identity) {
        return identities.putIfAbsent(new Key(identity.issuer(), identity.subject()), identity) == null;
    }

    @Override
    public synchronized boolean delete(UserId userId, String issuer, String subject, boolean keepLast) {
        Key key = new Key(issuer, subject);
        IdentityRecord found = identities.get(key);
        if (found == null || !found.userId().equals(userId)) {
            return false;
        }
        if (keepLast && identities.values().stream().filter(i -> i.userId().equals(userId)).count() < 2) {
            return false;
        }
        identities.remove(key);
        return true;
    }
}
