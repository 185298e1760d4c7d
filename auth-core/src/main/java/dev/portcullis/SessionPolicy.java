package dev.portcullis;

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

    private SessionPolicy(Builder b) {
        this.idleTimeout = b.idleTimeout;
        this.absoluteTimeout = b.absoluteTimeout;
        this.touchInterval = b.touchInterval;
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

    public static final class Builder {
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout = Duration.ofHours(12);
        private Duration touchInterval = Duration.ofMinutes(1);

        private Builder() {
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
