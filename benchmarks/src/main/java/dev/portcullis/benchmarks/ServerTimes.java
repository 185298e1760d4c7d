package dev.portcullis.benchmarks;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The flood servers' clock on the probe's requests: for each request to the traced path, the
 * {@link System#nanoTime()} at which Jetty began it (its first bytes read) and the one at which
 * the filter chain returned (the response written). {@code nanoTime} is {@code CLOCK_MONOTONIC} on
 * Linux, the same clock in the harness's JVM, so {@link FloodPhase} can split each probe request
 * into the time inside the server and the time outside it (the kernel's and the scheduler's
 * wake-ups of the selector and of the client, the network).
 *
 * <p>Installed only on the flood servers ({@code -Dbench.serverTimes=true}), outermost in front
 * of the auth filter: the throughput phase never runs it.
 */
final class ServerTimes implements Filter {

    private static final int CAPACITY = 1 << 16;

    private final long[] begins = new long[CAPACITY];
    private final long[] ends = new long[CAPACITY];
    private int n;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        long begin = ServletContextRequest.getServletContextRequest(req).getBeginNanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            record(begin, System.nanoTime());
        }
    }

    // One probe connection: the lock is never contended.
    private synchronized void record(long begin, long end) {
        if (n < CAPACITY) {
            begins[n] = begin;
            ends[n++] = end;
        }
    }

    /** {@code begin end} lines, one per request since the last drain, oldest first; then empties. */
    synchronized String drain() {
        StringBuilder out = new StringBuilder(n * 32);
        for (int i = 0; i < n; i++) {
            out.append(begins[i]).append(' ').append(ends[i]).append('\n');
        }
        n = 0;
        return out.toString();
    }

    /** {@code GET /bare/times}: {@link #drain()} as text. */
    static final class Servlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ServerTimes times;

        Servlet(ServerTimes times) {
            this.times = times;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = times.drain().getBytes(StandardCharsets.US_ASCII);
            resp.setContentType("text/plain");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }
}
