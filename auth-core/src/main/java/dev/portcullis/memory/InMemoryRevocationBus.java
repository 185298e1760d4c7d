package dev.portcullis.memory;

import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reference {@link RevocationBus}: delivers every event to every subscriber in this JVM, on the
 * publishing thread, before {@link #publish} returns. For several {@code Portcullis} instances in
 * one process (tests, or one app per tenant). {@link #disconnect()} and {@link #reconnect()} act
 * out a lost connection: meanwhile events are dropped, as on a real bus. Thread-safe.
 */
public final class InMemoryRevocationBus implements RevocationBus {

    private final CopyOnWriteArrayList<RevocationListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean connected = true;

    @Override
    public void publish(RevocationEvent event) {
        Objects.requireNonNull(event, "event");
        if (!connected) {
            return;
        }
        for (RevocationListener listener : listeners) {
            listener.received(event);
        }
    }

    @Override
    public Subscription subscribe(RevocationListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        if (!connected) {
            listener.connectionLost();
        }
        return () -> listeners.remove(listener);
    }

    @Override
    public boolean connected() {
        return connected;
    }

    /** From now on events are lost; subscribers are told. */
    public void disconnect() {
        connected = false;
        listeners.forEach(RevocationListener::connectionLost);
    }

    /** Events flow again; subscribers are told (and flush). */
    public void reconnect() {
        connected = true;
        listeners.forEach(RevocationListener::connectionRestored);
    }

    /** How many subscriptions are open. */
    public int subscribers() {
        return listeners.size();
    }
}
