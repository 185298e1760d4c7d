package dev.portcullis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds concurrent password hashing. Each Argon2id computation holds ~19 MiB and a core for tens
 * of milliseconds; without a bound, a login flood would exhaust memory and starve every other
 * request. Callers beyond the limit wait up to {@code maxWait}, then get "busy".
 */
final class HashingGate {

    private final Semaphore permits;
    private final Duration maxWait;

    HashingGate(int concurrency, Duration maxWait) {
        this.permits = new Semaphore(concurrency, true);
        this.maxWait = maxWait;
    }

    /** Runs {@code work} in a slot; empty when no slot freed up in time. */
    <T> Optional<T> run(Supplier<T> work) {
        try {
            if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            permits.release();
        }
    }

    /** What to tell a caller that got "busy". */
    Duration retryAfter() {
        return Duration.ofSeconds(1);
    }
}
