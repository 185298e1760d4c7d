package dev.portcullis.memory;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.TokenEpochStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TokenEpochStore} in memory. Thread-safe. */
public final class InMemoryTokenEpochStore implements TokenEpochStore {

    private final Map<UserId, Integer> epochs = new ConcurrentHashMap<>();

    @Override
    public int current(UserId userId) {
        return epochs.getOrDefault(userId, 0);
    }

    @Override
    public int advance(UserId userId) {
        return epochs.merge(userId, 1, Integer::sum);
    }
}
