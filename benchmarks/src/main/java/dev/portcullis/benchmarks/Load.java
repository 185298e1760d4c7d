package dev.portcullis.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Closed-loop load: a fixed number of virtual users, each a platform thread with its own
 * keep-alive connection, running one operation after another. Operations that start before the
 * warm-up ends or finish after the window closes are not counted.
 */
final class Load {

    /** One operation of a virtual user (one request, or a few for a login); true when it succeeded. */
    interface Op {
        boolean run(HttpConnection connection) throws IOException;
    }

    /** Counted operations, errors, throughput and latency percentiles of one run. */
    record Stats(long count, long errors, double perSecond, double p50Ms, double p99Ms, double maxMs) {
        String brief() {
            return String.format("%.0f/s p50 %.3f ms p99 %.3f ms (%d ok, %d errors)", perSecond, p50Ms, p99Ms, count, errors);
        }
    }

    private final String host;
    private final int port;

    Load(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * @param pauseMillis think time after each operation (0 for maximum load)
     */
    Stats run(int users, IntFunction<Op> opForUser, double warmupSeconds, double measureSeconds, long pauseMillis)
            throws InterruptedException {
        return stats(workers(users, opForUser, warmupSeconds, measureSeconds, pauseMillis), measureSeconds);
    }

    /**
     * One virtual user, as {@link #run}, and the {@link System#nanoTime()} at which each counted
     * operation started and ended (to match with {@link ServerTimes}).
     */
    Probe probe(Op op, double warmupSeconds, double measureSeconds, long pauseMillis) throws InterruptedException {
        Worker w = workers(1, u -> op, warmupSeconds, measureSeconds, pauseMillis).get(0);
        long[] ends = new long[w.n];
        for (int i = 0; i < w.n; i++) {
            ends[i] = w.starts[i] + w.latencies[i];
        }
        return new Probe(stats(List.of(w), measureSeconds), Arrays.copyOf(w.starts, w.n), ends);
    }

    /** A probe's figures and the start and end of each of its counted operations, in order. */
    record Probe(Stats stats, long[] starts, long[] ends) {
    }

    private List<Worker> workers(int users, IntFunction<Op> opForUser, double warmupSeconds, double measureSeconds,
                                 long pauseMillis) throws InterruptedException {
        long start = System.nanoTime() + 20_000_000L;
        long windowStart = start + (long) (warmupSeconds * 1e9);
        long windowEnd = windowStart + (long) (measureSeconds * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Worker w = new Worker(opForUser.apply(u), windowStart, windowEnd, pauseMillis);
            workers.add(w);
            Thread t = new Thread(w, "vu-" + u);
            t.setDaemon(true);
            w.thread = t;
            t.start();
        }
        for (Worker w : workers) {
            w.thread.join();
        }
        return workers;
    }

    private static Stats stats(List<Worker> workers, double measureSeconds) {
        long count = 0;
        long errors = 0;
        int n = 0;
        for (Worker w : workers) {
            count += w.count;
            errors += w.errors;
            n += w.n;
        }
        long[] all = new long[n];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.n);
            at += w.n;
        }
        Arrays.sort(all);
        return new Stats(count, errors, count / measureSeconds, percentile(all, 0.50), percentile(all, 0.99),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6);
    }

    /** Runs {@code users} flooding users until {@link Flood#stop()}; counts what came back. */
    Flood flood(int users, IntFunction<Op> opForUser) {
        Flood flood = new Flood();
        for (int u = 0; u < users; u++) {
            Op op = opForUser.apply(u);
            Thread t = new Thread(() -> {
                try (HttpConnection c = new HttpConnection(host, port)) {
                    while (flood.running.get()) {
                        try {
                            if (op.run(c)) {
                                flood.done.incrementAndGet();
                            } else {
                                flood.refused.incrementAndGet();
                            }
                        } catch (IOException e) {
                            flood.failed.incrementAndGet();
                            c.close();
                        }
                    }
                }
            }, "flood-" + u);
            t.setDaemon(true);
            flood.threads.add(t);
            t.start();
        }
        return flood;
    }

    static final class Flood {
        final AtomicBoolean running = new AtomicBoolean(true);
        final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private final class Worker implements Runnable {
        final Op op;
        final long windowStart;
        final long windowEnd;
        final long pauseMillis;
        Thread thread;
        long[] latencies = new long[1 << 14];
        long[] starts = new long[1 << 14];
        int n;
        long count;
        long errors;

        Worker(Op op, long windowStart, long windowEnd, long pauseMillis) {
            this.op = op;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public void run() {
            try (HttpConnection c = new HttpConnection(host, port)) {
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= windowEnd) {
                        return;
                    }
                    boolean ok;
                    try {
                        ok = op.run(c);
                    } catch (IOException e) {
                        ok = false;
                        c.close();
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= windowStart && t1 <= windowEnd) {
                        if (ok) {
                            count++;
                            if (n == latencies.length) {
                                latencies = Arrays.copyOf(latencies, n * 2);
                                starts = Arrays.copyOf(starts, n * 2);
                            }
                            starts[n] = t0;
                            latencies[n++] = t1 - t0;
                        } else {
                            errors++;
                        }
                    }
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
