package dev.portcullis.internal;

import dev.portcullis.Portcullis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds concurrent password hashing. Each Argon2id computation holds ~19 MiB and a core for tens
 * of milliseconds; without a bound, a login flood would exhaust memory and starve every other
 * request. Callers beyond the limit wait up to {@code maxWait}, then get "busy".
 *
 * <p>The work runs on at most {@code concurrency} threads of the gate's own, never on the caller's
 * thread. Native hashers allocate their memory with {@code malloc}, and glibc gives each thread
 * that allocates concurrently an arena of its own that keeps the freed blocks: hashing on whichever
 * container thread happened to call made resident memory grow with the number of flooding clients
 * (measured by the benchmarks: 577 MiB with 16, 711 MiB with 64 clients). On a fixed set of threads
 * it stays bounded by the concurrency limit. Idle threads end after 30 s; they are daemons, at
 * {@link Thread#MIN_PRIORITY} so that request threads come first where the JVM maps Java
 * priorities to the OS (on Linux only with {@code -XX:ThreadPriorityPolicy=1}).
 */
public final class HashingGate {

    private final Semaphore permits;
    private final Duration maxWait;
    private final ThreadPoolExecutor workers;

    public HashingGate(int concurrency, Duration maxWait) {
        this.permits = new Semaphore(concurrency, true);
        this.maxWait = maxWait;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "portcullis-hashing-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        };
        // Never more tasks than permits, so the queue holds at most the few handed over while a
        // worker that just released its permit is on its way back to the queue.
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        this.workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code work} in a slot and waits for it; empty when no slot freed up in time (or the
     * caller was interrupted while waiting for one). Once started, the work is always waited for.
     * What {@code work} throws is rethrown.
     */
    public <T> Optional<T> run(Supplier<T> work) {
        try {
            if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        FutureTask<T> task = new FutureTask<>(() -> {
            try {
                return work.get();
            } finally {
                permits.release();
            }
        });
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            permits.release();
            throw new IllegalStateException("hashing threads refused work", e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Optional.of(task.get());
                } catch (InterruptedException e) {
                    interrupted = true; // the hash finishes anyway; answer with it
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What to tell a caller that got "busy". */
    public Duration retryAfter() {
        return Duration.ofSeconds(1);
    }

    /**
     * Lets running hashes finish and ends the gate's threads (on {@code Portcullis.close()}); returns
     * once they have ended (at most about 10 s), so a container checking for leaked threads right
     * after an undeploy finds none.
     */
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
