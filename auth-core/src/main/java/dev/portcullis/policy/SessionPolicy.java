package dev.portcullis.policy;

import dev.portcullis.Portcullis;

import java.time.Duration;
import java.util.Objects;

/**
 * Session lifetimes. Defaults follow OWASP's Session Management Cheat Sheet for ordinary
 * applications: 30 minutes idle, 12 hours absolute. {@code touchInterval} limits how often a
 * session's last-seen time is written (a write per request would make every page view a database
 * write), so the idle timeout is exact to within that interval.
 */
public final class SessionPolicy {

    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration touchInterval;
    private final Duration rememberMeLifetime;
    private final Duration rememberMeGrace;
    private final Duration lookupCacheTtl;
    private final Duration lookupCacheTtlWithBus;

    private SessionPolicy(Builder b) {
        this.idleTimeout = b.idleTimeout;
        this.absoluteTimeout = b.absoluteTimeout;
        this.touchInterval = b.touchInterval;
        this.rememberMeLifetime = b.rememberMeLifetime;
        this.rememberMeGrace = b.rememberMeGrace;
        this.lookupCacheTtl = b.lookupCacheTtl;
        this.lookupCacheTtlWithBus = b.lookupCacheTtlWithBus;
    }

    public static SessionPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration absoluteTimeout() {
        return absoluteTimeout;
    }

    public Duration touchInterval() {
        return touchInterval;
    }

    /** How long a remember-me token lives after its last use; default 30 days. */
    public Duration rememberMeLifetime() {
        return rememberMeLifetime;
    }

    /**
     * How long a just-rotated remember-me token still works, so a page's parallel requests that
     * all carried the old cookie do not trip theft detection; default 30 seconds.
     */
    public Duration rememberMeGrace() {
        return rememberMeGrace;
    }

    /**
     * How long {@code Sessions.currentUser} may answer a session from its per-node cache instead
     * of reading the session and the account from the stores again; default 1 second, at most 10
     * seconds, {@link Duration#ZERO} disables the cache.
     *
     * <p>What it trades: on the node that makes a change (logout, logout everywhere, password change
     * or reset, disable, email change or verification, new roles — anything done through
     * {@code Portcullis}) the change applies to the very next request. Other nodes sharing the
     * stores, and changes written to the database by other means, are seen within this TTL: until
     * then another node may still accept a session that was just ended, or show the old roles.
     * Idle and absolute timeouts stay exact (checked against the clock on every call), and the
     * last-seen time is still written once per {@link #touchInterval()}. Set {@code ZERO} when a
     * revocation must be immediate on every node and there is no revocation bus; with a bus
     * ({@code Portcullis.builder().revocationBus(..)}) other nodes evict at once, the cache lives for
     * {@link #lookupCacheTtlWithBus()}, and this TTL applies while the bus is down.
     */
    public Duration lookupCacheTtl() {
        return lookupCacheTtl;
    }

    /**
     * The lookup cache's TTL on a node with a revocation bus ({@code Portcullis.builder().revocationBus(..)}):
     * default 30 seconds, at most 5 minutes, {@link Duration#ZERO} disables the cache there.
     *
     * <p>Why longer: with a bus every logout, revocation and account change evicts every node's
     * entries within milliseconds, so the TTL no longer sets the revocation delay; it only bounds
     * an event that is lost in flight (a bus that has not noticed yet that its connection died) and
     * changes written to the database by other means. 30 seconds keeps that bound short, while a
     * session in active use costs one store read per 30 s per node instead of one per second (and
     * the last-seen time is still written once per {@link #touchInterval()}, default 1 min, which
     * reads the store again anyway). While the bus is known to be down the short
     * {@link #lookupCacheTtl()} applies, and when it reconnects the cache is flushed. A zero
     * {@link #lookupCacheTtl()} turns the cache off with a bus too.
     */
    public Duration lookupCacheTtlWithBus() {
        return lookupCacheTtlWithBus;
    }

    public static final class Builder {
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout = Duration.ofHours(12);
        private Duration touchInterval = Duration.ofMinutes(1);
        private Duration rememberMeLifetime = Duration.ofDays(30);
        private Duration rememberMeGrace = Duration.ofSeconds(30);
        private Duration lookupCacheTtl = Duration.ofSeconds(1);
        private Duration lookupCacheTtlWithBus = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder rememberMeLifetime(Duration value) {
            this.rememberMeLifetime = positive(value, "rememberMeLifetime");
            return this;
        }

        /** At most 5 minutes: the window in which a stolen, rotated token would still work. */
        public Builder rememberMeGrace(Duration value) {
            Objects.requireNonNull(value, "rememberMeGrace");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("rememberMeGrace must be 0..5 min, was " + value);
            }
            this.rememberMeGrace = value;
            return this;
        }

        /** 0 (disabled) to 10 seconds; see {@link SessionPolicy#lookupCacheTtl()}. */
        public Builder lookupCacheTtl(Duration value) {
            Objects.requireNonNull(value, "lookupCacheTtl");
            if (value.isNegative() || value.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("lookupCacheTtl must be 0..10 s, was " + value);
            }
            this.lookupCacheTtl = value;
            return this;
        }

        /** 0 (disabled) to 5 minutes; see {@link SessionPolicy#lookupCacheTtlWithBus()}. */
        public Builder lookupCacheTtlWithBus(Duration value) {
            Objects.requireNonNull(value, "lookupCacheTtlWithBus");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("lookupCacheTtlWithBus must be 0..5 min, was " + value);
            }
            this.lookupCacheTtlWithBus = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = positive(value, "idleTimeout");
            return this;
        }

        public Builder absoluteTimeout(Duration value) {
            this.absoluteTimeout = positive(value, "absoluteTimeout");
            return this;
        }

        public Builder touchInterval(Duration value) {
            Objects.requireNonNull(value, "touchInterval");
            if (value.isNegative()) {
                throw new IllegalArgumentException("touchInterval must not be negative");
            }
            this.touchInterval = value;
            return this;
        }

        public SessionPolicy build() {
            if (idleTimeout.compareTo(absoluteTimeout) > 0) {
                throw new IllegalStateException("idleTimeout must not exceed absoluteTimeout");
            }
            if (touchInterval.compareTo(idleTimeout) >= 0) {
                throw new IllegalStateException("touchInterval must be shorter than idleTimeout");
            }
            return new SessionPolicy(this);
        }

        static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
