package dev.portcullis.benchmarks;

import static dev.portcullis.benchmarks.ServerCalls.HOST;
import static dev.portcullis.benchmarks.ServerCalls.loginOverHttp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of issue 8 and prints one Markdown table: JMH micro-benchmarks, HTTP
 * throughput of the same endpoint bare / behind the filter with a session / with a bearer JWT,
 * form-login throughput against the hashing ceiling, and GET latency and memory during a login
 * flood, and (issue 17) the GET throughput with the revocation bus on vs off and the cross-node
 * revocation latency of each bus. {@code --quick} shortens every phase; {@code --out DIR} says where
 * results.md goes; {@code --only jmh|http|revocation} runs one part, {@code --only nodes} the
 * throughput and the revocation latency (for development).
 */
public final class Main {

    /** How long each phase runs. */
    record Settings(int jmhWarmups, int jmhWarmupSeconds, int jmhIterations, int jmhSeconds,
                    int vus, double variantWarmup, int rounds, double runWarmup, double runSeconds,
                    double loginWarmup, double loginWarmupMax, int loginRounds, double loginSeconds,
                    double floodServerWarmup, int floodRounds, double probeSeconds, double floodRamp, int[] floodSizes) {
    }

    static final Settings FULL = new Settings(3, 2, 5, 2, 8, 5, 5, 1, 8, 10, 120, 3, 8, 4, 3, 8, 2, new int[] {16, 64, 256});
    static final Settings QUICK = new Settings(1, 1, 2, 1, 8, 2, 3, 0.5, 1.5, 6, 90, 2, 4, 2, 3, 2.5, 1.5, new int[] {16, 64, 256});


    private final Settings s;
    private final Path out;
    /** The load server's JVM options: the example app's jvm.options when given, else the defaults. */
    private final List<String> serverOptions;
    private final Report report = new Report();
    private final int cores = Runtime.getRuntime().availableProcessors();

    private Main(Settings s, Path out, List<String> serverOptions) {
        this.s = s;
        this.out = out;
        this.serverOptions = serverOptions;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean quick = false;
        Path out = Path.of("target");
        String only = "all";
        List<String> serverOptions = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                case "--server-options" -> serverOptions = readOptions(Path.of(args[++i]));
                default -> throw new IllegalArgumentException(
                        "usage: [--quick] [--out DIR] [--server-options FILE] [--only jmh|http|throughput|login|flood|revocation|nodes]");
            }
        }
        Files.createDirectories(out);
        Main main = new Main(quick ? QUICK : FULL, out, serverOptions);
        main.report.header(quick, main.cores);
        if (only.equals("all") || only.equals("jmh")) {
            main.jmh();
        }
        if (!only.equals("jmh") && !only.equals("revocation")) {
            main.http(only.equals("nodes") ? "throughput" : only);
        }
        if (only.equals("all") || only.equals("revocation") || only.equals("nodes")) {
            main.revocation();
        }
        String table = main.report.render();
        System.out.println(table);
        Files.writeString(out.resolve("results.md"), table);
        System.exit(0);
    }

    /** One JVM option per line; '#' starts a comment (the format of examples/webapp/jvm.options). */
    static List<String> readOptions(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int hash = line.indexOf('#');
            String option = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return List.copyOf(options);
    }

    static void progress(String message) {
        System.err.println("[bench] " + message);
    }

    // ---- JMH ---------------------------------------------------------------------------------

    private void jmh() throws RunnerException {
        progress("JMH micro-benchmarks (log: " + out.resolve("jmh.log") + ")");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.portcullis\\.benchmarks\\..*Benchmark\\..*")
                .forks(1)
                .warmupIterations(s.jmhWarmups()).warmupTime(TimeValue.seconds(s.jmhWarmupSeconds()))
                .measurementIterations(s.jmhIterations()).measurementTime(TimeValue.seconds(s.jmhSeconds()))
                .jvmArgs("-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "--enable-native-access=ALL-UNNAMED") // argon2-jvm's JNA on Java 24+
                .output(out.resolve("jmh.log").toString());
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            String store = r.getParams().getParam("store");
            byName.put(store == null ? name : name + ":" + store, r);
        }
        jmhRow(byName, "argon2idHash", "Argon2id hash (m=19456 KiB, t=2, p=1)", "one thread");
        jmhRow(byName, "argon2idVerify", "Argon2id verify (same parameters)", "one thread");
        jmhRow(byName, "argon2idRawPrefaulted", "Raw native Argon2id (`argon2id_ctx`), memory allocated and touched once",
                "floor for verify: no PHC decoding, no malloc, no page fault");
        RunResult verify = byName.get("argon2idVerify");
        RunResult raw = byName.get("argon2idRawPrefaulted");
        if (verify != null && raw != null) {
            double r = verify.getPrimaryResult().getScore() / raw.getPrimaryResult().getScore();
            report.row("Micro", "Ratio Argon2id verify ÷ raw native computation (JMH rows above)", Report.ratio(r), "×",
                    "the two rows ran one after the other: on a busy machine read the interleaved ratio below");
        }
        double[] interleaved = argon2VerifyVsRawInterleaved(s == QUICK ? 15 : 40);
        report.row("Micro", "Ratio Argon2id verify ÷ raw native computation, interleaved", Report.ratio(interleaved[0]), "×",
                "median of " + (s == QUICK ? 15 : 40) + " pairs run back to back in the harness JVM (verify "
                        + Report.num(interleaved[1]) + " ms, raw " + Report.num(interleaved[2]) + " ms, medians); minor page faults per verify "
                        + Report.num(interleaved[3]) + ", per raw computation " + Report.num(interleaved[4]));
        report.target("Argon2id verify vs raw native computation", Report.ratio(interleaved[0]) + "×", "≤ 1.05×",
                interleaved[0] <= 1.05);
    }

    /**
     * Verify and the raw native computation alternately, {@code pairs} times after a warm-up, on
     * one thread: {median ratio, median verify ms, median raw ms, faults per verify, faults per raw}.
     * Alternating makes the ratio robust against the load of a shared machine, which changes from
     * one second to the next.
     */
    private static double[] argon2VerifyVsRawInterleaved(int pairs) {
        PasswordHashingBenchmark b = new PasswordHashingBenchmark();
        b.setUp();
        double[] ratios = new double[pairs];
        double[] verifyMs = new double[pairs];
        double[] rawMs = new double[pairs];
        long verifyFaults = 0;
        long rawFaults = 0;
        for (int i = -3; i < pairs; i++) {
            long f0 = minorFaults();
            long t0 = System.nanoTime();
            b.argon2idVerify();
            long t1 = System.nanoTime();
            long f1 = minorFaults();
            b.argon2idRawPrefaulted();
            long t2 = System.nanoTime();
            long f2 = minorFaults();
            if (i >= 0) {
                verifyMs[i] = (t1 - t0) / 1e6;
                rawMs[i] = (t2 - t1) / 1e6;
                ratios[i] = verifyMs[i] / rawMs[i];
                verifyFaults += f1 - f0;
                rawFaults += f2 - f1;
            }
        }
        return new double[] {median(Arrays.stream(ratios)), median(Arrays.stream(verifyMs)), median(Arrays.stream(rawMs)),
                verifyFaults / (double) pairs, rawFaults / (double) pairs};
    }

    /** Minor page faults of this whole process so far, from /proc/self/stat (field 10). */
    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[10 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void jmhRow(Map<String, RunResult> results, String key, String label, String note) {
        RunResult r = results.get(key);
        if (r == null) {
            report.row("Micro", label, "missing", "", note);
            return;
        }
        var primary = r.getPrimaryResult();
        double error = primary.getScoreError();
        String value = Report.num(primary.getScore()) + (Double.isNaN(error) ? "" : " ± " + Report.num(error));
        report.row("Micro", label, value, primary.getScoreUnit(), note);
    }

    // ---- Several nodes (issue 17) ------------------------------------------------------------

    /** Cross-node revocation latency, 1,000 logouts per bus (100 with --quick). */
    private void revocation() throws Exception {
        int logouts = s == QUICK ? 100 : 1_000;
        String how = logouts + " logouts one after another, 2 nodes in one JVM, each with its own bus connection; "
                + "from the start of logout on A to the eviction on B";
        Optional<String> pg = RevocationLatency.postgresUrl();
        if (pg.isPresent()) {
            progress("revocation latency over PostgreSQL LISTEN/NOTIFY, " + logouts + " logouts");
            revocationRows(RevocationLatency.postgres(pg.get(), logouts), how);
        } else {
            report.row("Nodes", "Revocation latency, PostgreSQL bus", "skipped", "", "set PORTCULLIS_TEST_POSTGRES_URL");
        }
        Optional<String> redis = RevocationLatency.redisUrl();
        if (redis.isPresent()) {
            progress("revocation latency over Redis pub/sub, " + logouts + " logouts");
            revocationRows(RevocationLatency.redis(redis.get(), logouts), how);
        } else {
            report.row("Nodes", "Revocation latency, Redis bus", "skipped", "", "set PORTCULLIS_TEST_REDIS_URL");
        }
    }

    private void revocationRows(RevocationLatency.Result r, String how) {
        double p99 = r.percentileMs(99);
        report.row("Nodes", "Revocation latency, " + r.bus() + ", p50 / p99 / max",
                Report.num(r.percentileMs(50)) + " / " + Report.num(p99) + " / " + Report.num(r.percentileMs(100)), "ms",
                how + (r.lost() > 0 ? "; " + r.lost() + " events not received within 5 s" : "")
                        + (r.notRefused() > 0 ? "; " + r.notRefused() + " sessions still accepted" : ""));
        boolean pass = r.lost() == 0 && r.notRefused() == 0 && p99 <= 100;
        report.target("cross-node revocation p99 (" + r.bus() + ")", Report.num(p99) + " ms", "≤ 100 ms, none lost", pass);
    }

    // ---- HTTP --------------------------------------------------------------------------------

    /** @param only "all", "http", or one of "throughput", "login", "flood" */
    private void http(String only) throws Exception {
        boolean all = only.equals("all") || only.equals("http");
        if (all || only.equals("throughput") || only.equals("login")) {
            mainServer(all || only.equals("throughput"), all || only.equals("login"));
        }
        if (all || only.equals("flood")) {
            FloodPhase floods = new FloodPhase(s, report, out, serverOptions);
            for (int size : s.floodSizes()) {
                floods.run(size);
            }
        }
    }

    private void mainServer(boolean doThroughput, boolean doLogin) throws Exception {
        try (ServerProcess server = ServerProcess.start(out.resolve("server-main.log"), serverOptions)) {
            Load load = new Load(HOST, server.port);
            String cookies = loginOverHttp(server.port, "/app", LoadServer.PROBE_USER);
            String memoryCookies = loginOverHttp(server.port, "/mem", LoadServer.PROBE_USER);
            String host = HOST + ":" + server.port;
            Map<String, byte[]> variants = new LinkedHashMap<>();
            variants.put("bare", HttpConnection.request("GET", "/bare/hello", host, List.of(), null));
            variants.put("session", HttpConnection.request("GET", "/app/hello", host, List.of("Cookie: " + cookies), null));
            variants.put("bearer", HttpConnection.request("GET", "/app/hello", host,
                    List.of("Authorization: Bearer " + server.bearer), null));
            // The bare endpoint sent exactly the bytes of (2) and of (3): separates the filter's cost
            // from the cost of carrying the cookies (100 bytes) or the token (700 bytes) through the
            // client, the kernel and Jetty's parser, which any server pays for the same request.
            variants.put("bareCookie", HttpConnection.request("GET", "/bare/hello", host, List.of("Cookie: " + cookies), null));
            variants.put("bareBearer", HttpConnection.request("GET", "/bare/hello", host,
                    List.of("Authorization: Bearer " + server.bearer), null));
            variants.put("memory", HttpConnection.request("GET", "/mem/hello", host, List.of("Cookie: " + memoryCookies), null));
            String busCookies = loginOverHttp(server.port, "/bus", LoadServer.PROBE_USER);
            variants.put("bus", HttpConnection.request("GET", "/bus/hello", host, List.of("Cookie: " + busCookies), null));
            if (doThroughput) {
                throughput(load, variants, server.bus);
            }
            if (doLogin) {
                new LoginPhase(s, report, cores).run(load, server.port);
            }
        }
    }

    private void throughput(Load load, Map<String, byte[]> variants, String busName) throws InterruptedException {
        for (Map.Entry<String, byte[]> v : variants.entrySet()) {
            progress("warm-up " + v.getKey());
            Load.Stats w = load.run(s.vus(), u -> ok200(v.getValue()), 0, s.variantWarmup(), 0);
            if (w.count() == 0 || w.errors() > 0) {
                throw new IllegalStateException(v.getKey() + " does not answer 200: " + w.brief());
            }
        }
        List<String> names = new ArrayList<>(variants.keySet());
        Map<String, List<Load.Stats>> runs = new LinkedHashMap<>();
        names.forEach(n -> runs.put(n, new ArrayList<>()));
        // Every ratio is taken within a round (numerator ÷ denominator variant), then the median.
        Map<String, String[]> ratioOf = new LinkedHashMap<>();
        ratioOf.put("session", new String[] {"session", "bare"});
        ratioOf.put("bearer", new String[] {"bearer", "bare"});
        ratioOf.put("sessionFilter", new String[] {"session", "bareCookie"});
        ratioOf.put("bearerFilter", new String[] {"bearer", "bareBearer"});
        ratioOf.put("memory", new String[] {"memory", "bare"});
        ratioOf.put("bus", new String[] {"bus", "session"});
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        ratioOf.keySet().forEach(k -> ratios.put(k, new ArrayList<>()));
        for (int round = 0; round < s.rounds(); round++) {
            Map<String, Load.Stats> thisRound = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + round) % names.size()); // rotate the order every round
                Load.Stats st = load.run(s.vus(), u -> ok200(variants.get(name)), s.runWarmup(), s.runSeconds(), 0);
                progress("round " + (round + 1) + " " + name + ": " + st.brief());
                thisRound.put(name, st);
                runs.get(name).add(st);
            }
            ratioOf.forEach((k, pair) -> ratios.get(k).add(thisRound.get(pair[0]).perSecond() / thisRound.get(pair[1]).perSecond()));
        }
        String how = s.vus() + " keep-alive connections, " + s.rounds() + " interleaved rounds × " + Report.num(s.runSeconds())
                + " s; median of rounds";
        Map<String, String> labels = Map.of("bare", "(1) bare Jetty", "session", "(2) AuthFilter + session cookie (JDBC/H2)",
                "bearer", "(3) AuthFilter + bearer JWT (RS256, cached)",
                "bareCookie", "(1a) bare Jetty, the request of (2) with its Cookie header",
                "bareBearer", "(1b) bare Jetty, the request of (3) with its Authorization header",
                "memory", "(2b) AuthFilter + session cookie, in-memory stores",
                "bus", "(2c) AuthFilter + session cookie (JDBC/H2), revocation bus on (" + busName + ")");
        for (String name : names) {
            List<Load.Stats> r = runs.get(name);
            long errors = r.stream().mapToLong(Load.Stats::errors).sum();
            report.row("HTTP GET", labels.get(name) + " throughput", Report.num(median(r.stream().mapToDouble(Load.Stats::perSecond))),
                    "req/s", how + (errors > 0 ? "; " + errors + " errors" : ""));
            report.row("HTTP GET", labels.get(name) + " latency p50 / p99",
                    Report.num(median(r.stream().mapToDouble(Load.Stats::p50Ms))) + " / "
                            + Report.num(median(r.stream().mapToDouble(Load.Stats::p99Ms))), "ms", "");
        }
        double session = median(ratios.get("session"));
        double bearer = median(ratios.get("bearer"));
        double sessionFilter = median(ratios.get("sessionFilter"));
        double bearerFilter = median(ratios.get("bearerFilter"));
        report.row("HTTP GET", "Ratio (2)/(1) session vs bare", Report.ratio(session), "×",
                "diagnostic: includes the cost of the Cookie header's bytes; per round: " + Report.list(ratios.get("session")));
        report.row("HTTP GET", "Ratio (3)/(1) bearer vs bare", Report.ratio(bearer), "×",
                "diagnostic: includes the cost of the Authorization header's bytes; per round: " + Report.list(ratios.get("bearer")));
        report.row("HTTP GET", "Ratio (2)/(1a) session vs bare, same request bytes", Report.ratio(sessionFilter), "×",
                "the filter's own cost (TARGET); per round: " + Report.list(ratios.get("sessionFilter")));
        report.row("HTTP GET", "Ratio (3)/(1b) bearer vs bare, same request bytes", Report.ratio(bearerFilter), "×",
                "the filter's own cost (TARGET); per round: " + Report.list(ratios.get("bearerFilter")));
        report.row("HTTP GET", "Ratio (2b)/(1) session on in-memory stores vs bare",
                Report.ratio(median(ratios.get("memory"))), "×",
                "diagnostic, no target: the filter without a database; per round: " + Report.list(ratios.get("memory")));
        double bus = median(ratios.get("bus"));
        report.row("HTTP GET", "Ratio (2c)/(2) session GET, bus on vs off", Report.ratio(bus), "×",
                "one node; with the bus the lookup cache lives 30 s instead of 1 s; per round: " + Report.list(ratios.get("bus")));
        report.target("session GET throughput, bus on vs off", Report.ratio(bus) + "×", "≥ 0.98×", bus >= 0.98);
        // Against bare Jetty answering the same request bytes: what the filter costs, not what a
        // 700-byte header costs every server (docs/performance.md, "Same request bytes").
        report.target("session GET throughput vs bare (same request bytes)", Report.ratio(sessionFilter) + "×", "≥ 0.90×",
                sessionFilter >= 0.90);
        report.target("bearer GET throughput vs bare (same request bytes)", Report.ratio(bearerFilter) + "×", "≥ 0.85×",
                bearerFilter >= 0.85);
    }

    static Load.Op ok200(byte[] request) {
        return c -> c.exchange(request, false).status() == 200;
    }

    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue));
    }

    static double median(java.util.stream.DoubleStream values) {
        double[] v = values.sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
