package dev.portcullis.servlet;

import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** The in-memory session store, with a switch that makes every call fail as an unreachable database does. */
final class SwitchableSessionStore implements SessionStore {

    private final SessionStore delegate = new InMemorySessionStore();
    private final AtomicBoolean down = new AtomicBoolean();

    void down(boolean value) {
        down.set(value);
    }

    private SessionStore up() {
        if (down.get()) {
            throw new StoreException("sessions: connection refused (the test switched the store off)", null);
        }
        return delegate;
    }

    @Override
    public void insert(SessionRecord session) {
        up().insert(session);
    }

    @Override
    public Optional<SessionRecord> find(TokenDigest id) {
        return up().find(id);
    }

    @Override
    public void touch(TokenDigest id, Instant lastSeenAt) {
        up().touch(id, lastSeenAt);
    }

    @Override
    public boolean delete(TokenDigest id) {
        return up().delete(id);
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        return up().deleteAllForUser(userId);
    }

    @Override
    public int deleteAllForUserExcept(UserId userId, TokenDigest keep) {
        return up().deleteAllForUserExcept(userId, keep);
    }

    @Override
    public List<SessionRecord> findAllForUser(UserId userId) {
        return up().findAllForUser(userId);
    }

    @Override
    public int deleteExpired(Instant idleCutoff, Instant absoluteCutoff) {
        return up().deleteExpired(idleCutoff, absoluteCutoff);
    }
}
