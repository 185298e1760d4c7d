package dev.portcullis.internal;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventListener;
import dev.portcullis.spi.AuthEventType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The one audit emitter: a failing listener is logged and skipped, never fails the use case. */
public final class Audit {

    private static final System.Logger LOG = System.getLogger("dev.portcullis.audit");

    private final List<AuthEventListener> listeners;
    private final Clock clock;

    public Audit(List<AuthEventListener> listeners, Clock clock) {
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    public void emit(AuthEventType type, Optional<UserId> userId, String clientAddress) {
        AuthEvent event = new AuthEvent(type, clock.instant(), userId, clientAddress);
        for (AuthEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "auth event listener failed; event dropped", e);
            }
        }
    }

    public void emit(AuthEventType type, UserId userId, String clientAddress) {
        emit(type, Optional.of(userId), clientAddress);
    }
}
