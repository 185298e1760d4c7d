package dev.portcullis.spi;

import java.util.Objects;

/**
 * Carries {@link RevocationEvent}s between the nodes of a cluster, so a logout, a password change or
 * a revoked token on one node evicts every node's caches at once ({@code Portcullis.builder()
 * .revocationBus(bus)}). Implementations: {@code PostgresRevocationBus} (auth-jdbc, LISTEN/NOTIFY),
 * {@code RedisRevocationBus} (auth-redis, pub/sub), {@code InMemoryRevocationBus} (one JVM), and
 * {@link #none()}, the default of a single node.
 *
 * <p>Delivery is best effort: the caches' TTL stays the bound for an event that is lost. So an
 * implementation tells its listeners when it loses its connection ({@link
 * RevocationListener#connectionLost}) and when it has it again ({@link
 * RevocationListener#connectionRestored}, after which they flush), reconnects by itself, and logs
 * both. Every event is delivered to every subscriber on every node, the publishing one included.
 * Thread-safe. Whoever creates a bus closes it (a {@code Portcullis} only unsubscribes on close).
 */
public interface RevocationBus {

    /**
     * Sends the event to every node's subscribers. Called after the change is stored, on the
     * request's thread. May throw {@link StoreException} when the bus is unreachable; Portcullis
     * logs that and goes on (the change itself is stored; other nodes see it within their TTL).
     */
    void publish(RevocationEvent event);

    /**
     * Delivers every event received from now on to {@code listener}, until the subscription is
     * closed. When the bus is not connected at this moment, calls {@link
     * RevocationListener#connectionLost()} before returning.
     */
    Subscription subscribe(RevocationListener listener);

    /** Whether the bus is connected now (a single-node bus always is). */
    default boolean connected() {
        return true;
    }

    /** Ends one {@link #subscribe} registration; idempotent. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The single-node bus: publishes nowhere, delivers nothing; every instance's own changes
     * already evict its own caches. The default of {@code Portcullis.builder()}.
     */
    static RevocationBus none() {
        return NoBus.INSTANCE;
    }

    /** Whether {@code bus} is {@link #none()}. */
    static boolean isNone(RevocationBus bus) {
        return Objects.requireNonNull(bus, "bus") == NoBus.INSTANCE;
    }
}

/** {@link RevocationBus#none()}: stateless, so one shared instance is not mutable static state. */
enum NoBus implements RevocationBus {
    INSTANCE;

    @Override
    public void publish(RevocationEvent event) {
        Objects.requireNonNull(event, "event");
    }

    @Override
    public Subscription subscribe(RevocationListener listener) {
        Objects.requireNonNull(listener, "listener");
        return () -> {
        };
    }
}
