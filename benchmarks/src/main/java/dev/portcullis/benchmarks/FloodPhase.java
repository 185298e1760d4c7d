package dev.portcullis.benchmarks;

import static dev.portcullis.benchmarks.ServerCalls.HOST;
import static dev.portcullis.benchmarks.ServerCalls.csrfToken;
import static dev.portcullis.benchmarks.ServerCalls.enc;
import static dev.portcullis.benchmarks.ServerCalls.field;
import static dev.portcullis.benchmarks.ServerCalls.loginOverHttp;
import static dev.portcullis.benchmarks.ServerCalls.serverTimes;
import static dev.portcullis.benchmarks.ServerCalls.statsRead;
import static dev.portcullis.benchmarks.ServerCalls.statsReset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The login-flood phase of {@link Main}: for each flood size a fresh server, a probe's
 * authenticated GETs in quiet and flooded windows, every flood answer checked, and the server's
 * peak heap, RSS and threads.
 */
final class FloodPhase {

    private final Main.Settings s;
    private final Report report;
    private final Path out;
    private final List<String> serverOptions;

    FloodPhase(Main.Settings s, Report report, Path out, List<String> serverOptions) {
        this.s = s;
        this.report = report;
        this.out = out;
        this.serverOptions = serverOptions;
    }

    /**
     * One fresh server per flood size (so its peak RSS belongs to that flood). Quiet and flooded
     * probe windows alternate {@code rounds} times; the figures are medians over the windows.
     */
    void run(int size) throws Exception {
        Main.progress("login flood with " + size + " clients (fresh server)");
        List<String> options = new ArrayList<>(serverOptions);
        options.add("-Dbench.serverTimes=true");
        try (ServerProcess server = ServerProcess.start(out.resolve("server-flood-" + size + ".log"), options)) {
            Load load = new Load(HOST, server.port);
            String host = HOST + ":" + server.port;
            String cookies = loginOverHttp(server.port, "/app", LoadServer.PROBE_USER);
            byte[] get = HttpConnection.request("GET", "/app/hello", host, List.of("Cookie: " + cookies), null);
            load.run(4, u -> Main.ok200(get), 0, s.floodServerWarmup(), 0);
            // Starts the sampler: quiet and flooded windows both run with it. No flood before the
            // rounds (tried: a flood until the JIT was quiet, 40-55 s, left the flooded p99 where it
            // was, 3-4 ms, and grew the heap with the throttle's rows in the in-memory H2 to a peak
            // RSS of 330 MiB at 256 clients).
            statsReset(server.port);
            serverTimes(server.port);
            Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
            AtomicInteger requestNumber = new AtomicInteger();
            List<Load.Stats> quiet = new ArrayList<>();
            List<Load.Stats> loaded = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Split> quietSplits = new ArrayList<>();
            List<Split> loadedSplits = new ArrayList<>();
            long heap = 0;
            long rssKiB = 0;
            long threads = 0;
            double floodSeconds = 0;
            long unanswered = 0;
            for (int round = 0; round < s.floodRounds(); round++) {
                Load.Probe qp = load.probe(Main.ok200(get), 0.3, s.probeSeconds(), 2);
                quietSplits.add(Split.of(qp, serverTimes(server.port)));
                Load.Stats q = qp.stats();
                statsReset(server.port);
                Load.Flood flood = load.flood(size, f -> floodLogin(host, f, requestNumber, statuses));
                long t0 = System.nanoTime();
                Load.Probe lp = load.probe(Main.ok200(get), s.floodRamp(), s.probeSeconds(), 2);
                floodSeconds += (System.nanoTime() - t0) / 1e9;
                loadedSplits.add(Split.of(lp, serverTimes(server.port)));
                Load.Stats l = lp.stats();
                String memory = statsRead(server.port);
                flood.stop();
                unanswered += flood.failed.get();
                Main.progress("round " + (round + 1) + ": quiet " + q.brief() + " | flood " + l.brief() + " | " + memory);
                quiet.add(q);
                loaded.add(l);
                ratios.add(l.p99Ms() / q.p99Ms());
                heap = Math.max(heap, field(memory, "heapPeakBytes"));
                rssKiB = Math.max(rssKiB, field(memory, "rssPeakKiB"));
                threads = Math.max(threads, field(memory, "threadsPeak"));
            }
            double quietP99 = Main.median(quiet.stream().mapToDouble(Load.Stats::p99Ms));
            double loadedP99 = Main.median(loaded.stream().mapToDouble(Load.Stats::p99Ms));
            double ratio = Main.median(ratios.stream().mapToDouble(Double::doubleValue));
            long answered = statuses.values().stream().mapToLong(LongAdder::sum).sum();
            String answers = statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getValue().sum() + "×" + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("none");
            String g = "Flood " + size;
            report.row(g, "Authenticated GET p99, unloaded / during a flood of " + size + " clients",
                    Report.num(quietP99) + " / " + Report.num(loadedP99), "ms",
                    "1 probe connection, 2 ms think time, " + s.floodRounds() + " alternating windows × "
                            + Report.num(s.probeSeconds()) + " s; p50 " + Report.num(Main.median(quiet.stream().mapToDouble(Load.Stats::p50Ms)))
                            + " / " + Report.num(Main.median(loaded.stream().mapToDouble(Load.Stats::p50Ms))) + " ms");
            report.row(g, "p99 during ÷ unloaded (median of windows)", Report.ratio(ratio), "×", "per window: " + Report.list(ratios));
            splitRows(g, quietSplits, loadedSplits);
            long wrongAnswers = statuses.entrySet().stream().filter(e -> e.getKey() < 0).mapToLong(e -> e.getValue().sum()).sum();
            report.row(g, "Flood answers", Report.num(answered / floodSeconds), "req/s", answers
                    + " (401 = verified and wrong, 503 = no hashing slot, 429 = throttled; a negative status lacked Retry-After)"
                    + (unanswered > 0 ? "; " + unanswered + " requests failed without an answer" : ""));
            report.row(g, "Peak heap used / peak RSS during the flood", Report.num(heap / 1048576.0) + " / " + Report.num(rssKiB / 1024.0),
                    "MiB", "server JVM " + String.join(" ", serverOptions) + ", MALLOC_ARENA_MAX=2; peak live threads " + threads);
            report.target("GET p99 during flood of " + size + " vs unloaded", Report.ratio(ratio) + "×", "≤ 3×", ratio <= 3);
            report.target("flood of " + size + ": every request answered 401, or 429/503 with Retry-After",
                    unanswered + " unanswered, " + wrongAnswers + " other answers", "0 and 0", unanswered == 0 && wrongAnswers == 0);
            if (size == s.floodSizes()[s.floodSizes().length - 1]) {
                report.target("peak RSS of the server during the flood of " + size, Report.num(rssKiB / 1024.0) + " MiB",
                        "≤ 300 MiB", rssKiB <= 300 * 1024);
            }
            report.flood(size, rssKiB, heap);
        }
    }

    /**
     * Where the probe's p99 goes: inside the server (from Jetty's begin of the request to the end of
     * the filter chain, the response written) and outside it (the rest of the round trip: the
     * kernel, the scheduler's wake-ups of Jetty's selector and of the client, the network).
     */
    private void splitRows(String g, List<Split> quiet, List<Split> loaded) {
        List<Double> insideRatios = new ArrayList<>();
        for (int i = 0; i < quiet.size(); i++) {
            insideRatios.add(loaded.get(i).insideP99Ms() / quiet.get(i).insideP99Ms());
        }
        long unmatched = Stream.concat(quiet.stream(), loaded.stream()).mapToLong(Split::unmatched).sum();
        report.row(g, "… of which inside the server: p99 unloaded / during the flood",
                Report.num(Main.median(quiet.stream().mapToDouble(Split::insideP99Ms))) + " / "
                        + Report.num(Main.median(loaded.stream().mapToDouble(Split::insideP99Ms))), "ms",
                "Jetty's begin of the request → filter chain returned (ServerTimes); ratio per window "
                        + Report.list(insideRatios) + ", median " + Report.ratio(Main.median(insideRatios)) + "×"
                        + (unmatched > 0 ? "; " + unmatched + " probe requests without a server time" : ""));
        report.row(g, "… and outside it (kernel, wake-ups, network): p99 unloaded / during the flood",
                Report.num(Main.median(quiet.stream().mapToDouble(Split::outsideP99Ms))) + " / "
                        + Report.num(Main.median(loaded.stream().mapToDouble(Split::outsideP99Ms))), "ms",
                "round trip − time inside the server, per request; a diagnostic, the TARGET is on the round trip");
    }

    /** A probe window split per request into the time inside the server and outside it. */
    record Split(double insideP99Ms, double outsideP99Ms, long unmatched) {

        /**
         * Matches each probe request with the server time whose begin falls within it (one
         * connection, one request at a time, so at most one does).
         */
        static Split of(Load.Probe probe, String serverTimes) {
            List<long[]> server = serverTimes.lines().filter(l -> !l.isBlank())
                    .map(l -> l.split(" ")).map(f -> new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])}).toList();
            long[] inside = new long[probe.starts().length];
            long[] outside = new long[probe.starts().length];
            int n = 0;
            int j = 0;
            for (int i = 0; i < probe.starts().length; i++) {
                long t0 = probe.starts()[i];
                long t1 = probe.ends()[i];
                while (j < server.size() && server.get(j)[0] < t0) {
                    j++;
                }
                if (j < server.size() && server.get(j)[0] <= t1) {
                    long in = server.get(j)[1] - server.get(j)[0];
                    inside[n] = in;
                    outside[n++] = (t1 - t0) - in;
                }
            }
            long[] ins = Arrays.copyOf(inside, n);
            long[] outs = Arrays.copyOf(outside, n);
            Arrays.sort(ins);
            Arrays.sort(outs);
            return new Split(Load.percentile(ins, 0.99), Load.percentile(outs, 0.99), probe.starts().length - n);
        }
    }

    /**
     * One flooding client: a botnet member. Every request comes from a new address (X-Forwarded-For,
     * believed from 127.0.0.1) for an account that does not exist, so neither the per-account nor
     * the per-address throttle stops it and every attempt costs one Argon2id verify of the dummy hash.
     */
    private static Load.Op floodLogin(String host, int client, AtomicInteger requestNumber,
                                      Map<Integer, LongAdder> statuses) {
        return new Load.Op() {
            private String csrfCookie;
            private String csrfToken;

            @Override
            public boolean run(HttpConnection c) throws IOException {
                if (csrfCookie == null) {
                    HttpConnection.Response r = c.exchange(HttpConnection.request("GET", "/app/auth/csrf", host,
                            List.of("Accept: application/json"), null), true);
                    csrfCookie = HttpConnection.cookiePair(r.setCookies().get(0));
                    csrfToken = csrfToken(r);
                }
                int n = requestNumber.incrementAndGet();
                String address = "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
                String body = "email=" + enc("nobody-" + client + "-" + n + "@flood.test") + "&password="
                        + enc("wrong password " + n) + "&csrf_token=" + enc(csrfToken);
                HttpConnection.Response r = c.exchange(HttpConnection.request("POST", "/app/auth/login", host,
                        List.of("Cookie: " + csrfCookie, "X-Forwarded-For: " + address,
                                "Content-Type: application/x-www-form-urlencoded"), body), false);
                boolean withRetryAfter = r.retryAfter() != null && !r.retryAfter().isBlank();
                boolean expected = r.status() == 401 || ((r.status() == 429 || r.status() == 503) && withRetryAfter);
                // A 429 or 503 without Retry-After counts under its own key: an answer the target refuses.
                int key = expected || r.status() == 401 ? r.status() : -r.status();
                statuses.computeIfAbsent(key, x -> new LongAdder()).increment();
                return expected;
            }
        };
    }
}
