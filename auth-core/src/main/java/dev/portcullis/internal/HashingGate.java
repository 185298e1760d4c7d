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
 * request. Callers beyond the limit wait up to {@code maxWait}, then get "busy"; at most
 * {@code maxWaiting} of them wait at once, and any caller beyond those gets "busy" at once.
 *
 * <p>Why the bound on waiters: a waiting caller is a container thread parked for up to
 * {@code maxWait}. A login flood from many addresses (each attempt passes the throttle) used to
 * park every one of Jetty's 200 threads here, and signed-in users' requests queued behind them
 * (p99 about 2.4 s with 256 flooding clients, measured by the benchmarks). With the bound, the
 * gate holds at most {@code concurrency + maxWaiting} container threads; the rest of the flood is
 * answered 503 with {@code Retry-After} in microseconds.
 *
 * <p>The work runs on at most {@code concurrency} threads of the gate's own, never on the caller's
 * thread. Native hashers allocate their memory with {@code malloc}, and glibc gives each thread
 * that allocates concurrently an arena of its own that keeps the freed blocks: hashing on whichever
 * container thread happened to call made resident memory grow with the number of flooding clients
 * (measured by the benchmarks: 577 MiB with 16, 711 MiB with 64 clients). On a fixed set of threads
 * it stays bounded by the concurrency limit. Idle threads end after 30 s; they are daemons, at
 * {@link Thread#MIN_PRIORITY}, and on Linux in the {@code SCHED_IDLE} scheduling class
 * ({@link IdlePriority}): a hash then only gets CPU time that request threads leave free, so a
 * flood of logins does not slow signed-in users' requests down (measured by the benchmarks; where
 * the class cannot be set the threads keep the normal one).
 */
public final class HashingGate {

    private final Semaphore permits;
    private final Duration maxWait;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ThreadPoolExecutor workers;

    /** With {@link #defaultMaxWaiting(int)} waiters. */
    public HashingGate(int concurrency, Duration maxWait) {
        this(concurrency, maxWait, defaultMaxWaiting(concurrency));
    }

    /** @param maxWaiting how many callers may wait for a slot at once (0: none waits) */
    public HashingGate(int concurrency, Duration maxWait, int maxWaiting) {
        this(concurrency, maxWait, maxWaiting, true);
    }

    /** @param idlePriority whether the hashing threads ask for Linux's {@code SCHED_IDLE} ({@link IdlePriority}) */
    public HashingGate(int concurrency, Duration maxWait, int maxWaiting, boolean idlePriority) {
        if (maxWaiting < 0) {
            throw new IllegalArgumentException("maxWaiting must be >= 0, was " + maxWaiting);
        }
        this.permits = new Semaphore(concurrency, true);
        this.maxWait = maxWait;
        this.maxWaiting = maxWaiting;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Runnable body = idlePriority ? () -> {
                IdlePriority.applyToCurrentThread();
                r.run();
            } : r;
            Thread t = new Thread(body, "portcullis-hashing-" + count.incrementAndGet());
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
        if (!acquire()) {
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

    /**
     * Eight waiters per slot, at least 64: a burst of honest sign-ins (a deploy that logged
     * everybody out) still waits a few verify times rather than being refused, while a flood holds
     * at most a third of a default Jetty or Tomcat pool (200 threads) on a small machine.
     */
    public static int defaultMaxWaiting(int concurrency) {
        return (int) Math.min(Math.max(64L, 8L * concurrency), 8192);
    }

    /**
     * True when a caller arriving now would get "busy" at once: every slot taken and every waiting
     * place too. A racy snapshot for observation (tests, diagnostics); {@link #run} decides.
     */
    public boolean full() {
        return waiting.get() >= maxWaiting && permits.availablePermits() == 0;
    }

    /** A slot, without waiting when one is free, else waiting in line when there is room in it. */
    private boolean acquire() {
        try {
            // tryAcquire(0, ...) rather than tryAcquire(): it honours the fair ordering, so a newcomer
            // never takes a slot ahead of the callers already waiting for one.
            if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                return false;
            }
            try {
                return permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                waiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
