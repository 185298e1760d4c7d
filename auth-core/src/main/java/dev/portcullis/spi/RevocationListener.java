package dev.portcullis.spi;

/**
 * What a {@link RevocationBus} delivers to: in Portcullis, the caches of one instance. Called on the
 * bus's own thread; implementations return quickly and do not throw.
 */
public interface RevocationListener {

    /** An event published by any node (this one included). */
    void received(RevocationEvent event);

    /**
     * The bus lost its connection (or has none yet): events may be missed from now on, so caches
     * fall back to their short TTL. Also called by {@link RevocationBus#subscribe} when the bus is
     * not connected at that moment.
     */
    default void connectionLost() {
    }

    /**
     * The bus is connected (again). Events published while it was down are lost, so everything
     * cached before must be dropped: Portcullis flushes its caches here.
     */
    default void connectionRestored() {
    }
}
