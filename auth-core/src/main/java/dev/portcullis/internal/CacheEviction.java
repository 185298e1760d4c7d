package dev.portcullis.internal;

import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import java.util.List;
import java.util.Objects;

/**
 * The subscriber of one {@code Portcullis} on its revocation bus: evicts the session lookup cache
 * (sessions and accounts) and hands every event on to the other caches (the token epochs). While the
 * bus is down the lookup cache falls back to its short TTL; when it is back, everything is flushed,
 * since whatever was published meanwhile is lost.
 */
public final class CacheEviction implements RevocationListener {

    private static final System.Logger LOG = System.getLogger(CacheEviction.class.getName());

    private final SessionLookupCache lookups;
    private final List<RevocationListener> others;

    public CacheEviction(SessionLookupCache lookups, List<RevocationListener> others) {
        this.lookups = Objects.requireNonNull(lookups, "lookups");
        this.others = List.copyOf(others);
    }

    @Override
    public void received(RevocationEvent event) {
        if (event instanceof RevocationEvent.SessionEnded e) {
            lookups.invalidate(e.session());
        } else if (event instanceof RevocationEvent.UserSessionsEnded e) {
            lookups.invalidateUser(e.user());
        } else if (event instanceof RevocationEvent.AccountChanged e) {
            lookups.invalidateUser(e.user());
        }
        for (RevocationListener other : others) {
            other.received(event);
        }
    }

    @Override
    public void connectionLost() {
        lookups.busDown();
        others.forEach(RevocationListener::connectionLost);
    }

    @Override
    public void connectionRestored() {
        lookups.busRestored();
        others.forEach(RevocationListener::connectionRestored);
        LOG.log(System.Logger.Level.DEBUG, "revocation bus connected: caches flushed");
    }
}
