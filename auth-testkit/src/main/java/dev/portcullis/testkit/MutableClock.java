package dev.portcullis.testkit;

import dev.portcullis.Portcullis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so tests check timeouts and windows
 * without sleeping. Pass it to {@code Portcullis.builder().clock(..)} and call
 * {@link #advance(Duration)}.
 *
 * <p>Thread-safe: the instant is held atomically, so threads that read it while a test advances
 * it see either the old or the new instant. {@link #withZone(ZoneId)} returns a view that shares
 * this clock's instant. Arguments must not be null.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock showing {@code start} in UTC. */
    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /** A clock showing {@code 2030-01-01T00:00:00Z}: a fixed, whole-millisecond start for tests. */
    public static MutableClock startingAt2030() {
        return at(Instant.parse("2030-01-01T00:00:00Z"));
    }

    /**
     * Moves the clock by {@code amount} (negative moves it back, as a wall clock may).
     *
     * @return the new instant
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return now.updateAndGet(i -> i.plus(amount));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares (and moves with) this clock's instant. */
    @Override
    public Clock withZone(ZoneId value) {
        return new MutableClock(now, Objects.requireNonNull(value, "zone"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + ", " + zone + "]";
    }
}
