package dev.portcullis.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Holds the connection of a sign-in answered "busy" (503, {@code Retry-After}) for the retry delay,
 * without holding a container thread: the answer is sent at once, then the request is put in async
 * mode and completed after the delay, so a keep-alive client cannot send its next request on that
 * connection before then.
 *
 * <p>Why: the hashing gate answers "busy" in microseconds once its waiting places are full (so that
 * a flood parks no container threads). A flooding client that ignores {@code Retry-After} would
 * then loop on those cheap answers as fast as the CPU allows (about 3,000 per second with 256
 * clients on 2 cores, measured by the benchmarks), and signed-in users' requests queue behind the
 * loop. Held, each flooding connection costs one answer per delay. A client that opens a new
 * connection per request is not slowed by this (it pays a TCP handshake instead).
 *
 * <p>Only where the whole chain supports async (the filter and the servlet registered with
 * {@code asyncSupported}); elsewhere the answer simply goes out as before. One daemon thread,
 * started on the first hold and ended after 30 s without one; {@link #close()} completes every
 * held request at once.
 */
final class BusyHold {

    private static final System.Logger LOG = System.getLogger(BusyHold.class.getName());

    private final ScheduledThreadPoolExecutor timer;

    BusyHold() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "portcullis-busy-hold");
            t.setDaemon(true);
            t.setContextClassLoader(null); // outlives no web application's loader
            return t;
        });
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Sends what the response holds, then keeps the request open for {@code delay}. Does nothing
     * (the container completes the request as usual) when async is not supported here.
     *
     * @return whether the request is held
     */
    boolean hold(HttpServletRequest request, HttpServletResponse response, Duration delay) throws IOException {
        if (!request.isAsyncSupported() || request.isAsyncStarted() || timer.isShutdown()) {
            return false;
        }
        response.flushBuffer();
        AsyncContext async;
        try {
            async = request.startAsync();
        } catch (IllegalStateException e) {
            return false; // a dispatch that cannot go async: answer as usual
        }
        long millis = Math.max(0, delay.toMillis());
        async.setTimeout(millis + 10_000);
        try {
            timer.schedule(() -> complete(async), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            complete(async);
            return false;
        }
        return true;
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException alreadyDone) {
            // the container completed it (timeout, client gone)
            LOG.log(System.Logger.Level.DEBUG, "held request already completed");
        }
    }

    /** Completes every held request now and ends the thread (the filter is destroyed). */
    void close() {
        List<Runnable> pending = timer.shutdownNow();
        for (Runnable r : pending) {
            r.run();
        }
    }
}
