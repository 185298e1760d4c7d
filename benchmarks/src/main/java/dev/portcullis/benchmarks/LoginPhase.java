package dev.portcullis.benchmarks;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.Argon2idHasher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The form-login phase of {@link Main}: logins/s of 2 × cores and 16 clients against the
 * hashing ceiling, measured at steady state (after the server's JIT is quiet) and against ceiling
 * windows measured around each login window.
 */
final class LoginPhase {

    // Login warm-up: at least loginWarmup seconds, then on in windows until the server's JIT spends
    // less than JIT_SETTLED of the window compiling, at most loginWarmupMax. A login-only load
    // reaches the compiler's thresholds slowly (one login is two requests and ~50 of them a second
    // fit on 2 cores), so a fixed warm-up left the compiler threads with 10-17 % of the CPU in the
    // measured window and the figure was the JIT's, not the steady state's.
    /** Compilation time per second of wall time below which the login warm-up ends. */
    static final double JIT_SETTLED = 0.03;
    private static final double WARMUP_WINDOW_SECONDS = 4;

    private final Main.Settings s;
    private final Report report;
    private final int cores;

    LoginPhase(Main.Settings s, Report report, int cores) {
        this.s = s;
        this.report = report;
        this.cores = cores;
    }

    void run(Load load, int port) throws Exception {
        double verifyMs = argon2VerifyMillis();
        double naive = cores * 1000.0 / verifyMs;
        report.row("Login", "Argon2id verify, measured in this run", Report.num(verifyMs), "ms", "median of 15, one thread");
        report.row("Login", "Cores ÷ verify time", Report.num(naive), "logins/s", cores
                + " cores; an upper bound no machine reaches: verifies at once share memory bandwidth and cache");
        for (int users : new int[] {2 * cores, 16}) {
            loginRun(load, port, users, naive);
        }
    }

    /**
     * After the warm-up, hashing-ceiling windows and login windows alternate (c0 L1 c1 L2 c2 ...):
     * each login window is compared with the mean of the ceilings measured just before and just
     * after it, because this machine's hashing rate drifts by a fifth within a minute.
     */
    private void loginRun(Load load, int port, int users, double naive) throws Exception {
        Main.progress("form logins, " + users + " clients");
        String host = ServerCalls.HOST + ":" + port;
        IntFunction<Load.Op> logins = u -> new Load.Op() {
            private int k;

            @Override
            public boolean run(HttpConnection c) throws IOException {
                String email = LoadServer.loginUser((u + users * k++) % LoadServer.LOGIN_USERS);
                return ServerCalls.formLogin(c, host, "/app", email, Fixtures.PASSWORD, null).status() == 303;
            }
        };
        double warmup = untilJitQuiet(port, s.loginWarmup(), s.loginWarmupMax(),
                seconds -> load.run(users, logins, 0, seconds, 0));
        double ceilingSeconds = s.loginSeconds() / 2;
        List<Double> ceilings = new ArrayList<>(List.of(argon2ParallelVerifiesPerSecond(cores, ceilingSeconds)));
        List<Double> rates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Load.Stats> windows = new ArrayList<>();
        double jitMillis = 0;
        double cpuMillis = 0;
        double clientCpuMillis = 0;
        double wallMillis = 0;
        for (int round = 0; round < s.loginRounds(); round++) {
            String before = ServerCalls.statsRead(port);
            long clientCpu0 = ownCpuMillis();
            long t0 = System.nanoTime();
            Load.Stats st = load.run(users, logins, 0, s.loginSeconds(), 0);
            wallMillis += (System.nanoTime() - t0) / 1e6;
            clientCpuMillis += ownCpuMillis() - clientCpu0;
            String after = ServerCalls.statsRead(port);
            jitMillis += ServerCalls.field(after, "compileMillis") - ServerCalls.field(before, "compileMillis");
            cpuMillis += ServerCalls.field(after, "cpuMillis") - ServerCalls.field(before, "cpuMillis");
            ceilings.add(argon2ParallelVerifiesPerSecond(cores, ceilingSeconds));
            double ceiling = (ceilings.get(round) + ceilings.get(round + 1)) / 2;
            windows.add(st);
            rates.add(st.perSecond());
            ratios.add(st.perSecond() / ceiling);
            Main.progress("logins, " + users + " clients: " + st.brief() + "; ceiling " + Report.num(ceiling));
        }
        double jit = jitMillis / wallMillis;
        double cpu = cpuMillis / (wallMillis * cores);
        double clientCpu = clientCpuMillis / (wallMillis * cores);
        double rate = Main.median(rates.stream().mapToDouble(Double::doubleValue));
        double ceiling = Main.median(ceilings.stream().mapToDouble(Double::doubleValue));
        double ratio = Main.median(ratios.stream().mapToDouble(Double::doubleValue));
        long errors = windows.stream().mapToLong(Load.Stats::errors).sum();
        report.row("Login", "Hashing ceiling around the runs with " + users + " clients: Argon2id verifies/s, "
                + cores + " threads at once, no HTTP", Report.num(ceiling), "verifies/s",
                "median of " + ceilings.size() + " windows of " + Report.num(ceilingSeconds) + " s: " + Report.list(ceilings)
                        + "; " + Report.ratio(ceiling / naive) + "× of cores ÷ verify time");
        report.row("Login", "Form logins over HTTP (GET /auth/csrf + POST /auth/login), " + users + " clients",
                Report.num(rate), "logins/s",
                "median of " + s.loginRounds() + " windows of " + Report.num(s.loginSeconds()) + " s after "
                        + Report.num(warmup) + " s of warm-up; p50 "
                        + Report.num(Main.median(windows.stream().mapToDouble(Load.Stats::p50Ms))) + " ms, p99 "
                        + Report.num(Main.median(windows.stream().mapToDouble(Load.Stats::p99Ms))) + " ms; server CPU "
                        + percent(cpu) + " of " + cores + " cores (JIT compiling " + percent(jit) + " of one core), load client "
                        + percent(clientCpu) + (errors > 0 ? "; " + errors + " failed" : ""));
        report.row("Login", "Ratio logins/s ÷ hashing ceiling, " + users + " clients", Report.ratio(ratio), "×",
                "each window against the mean of the ceilings before and after it; per window: " + Report.list(ratios)
                        + "; vs cores ÷ verify time: " + Report.ratio(rate / naive) + "×");
        report.target("form logins vs hashing ceiling, " + users + " clients", Report.ratio(ratio) + "×", "≥ 0.85×", ratio >= 0.85);
    }

    /** Some load for a given time. */
    private interface Window {
        void run(double seconds) throws Exception;
    }

    /**
     * Runs {@code window} for {@code minSeconds}, then window by window until the server's JIT has
     * compiled for less than {@link #JIT_SETTLED} of two windows in a row (or {@code maxSeconds}
     * have passed); the seconds it took. Two quiet windows in a row: the compiler works in bursts
     * (one quiet window was once followed by 20 % of a core in the measured one).
     */
    private static double untilJitQuiet(int port, double minSeconds, double maxSeconds, Window window) throws Exception {
        window.run(minSeconds);
        double spent = minSeconds;
        int settled = 0;
        while (spent < maxSeconds && settled < 2) {
            long compiled = ServerCalls.field(ServerCalls.statsRead(port), "compileMillis");
            long t0 = System.nanoTime();
            window.run(WARMUP_WINDOW_SECONDS);
            double wallMillis = (System.nanoTime() - t0) / 1e6;
            spent += WARMUP_WINDOW_SECONDS;
            double share = (ServerCalls.field(ServerCalls.statsRead(port), "compileMillis") - compiled) / wallMillis;
            settled = share < JIT_SETTLED ? settled + 1 : 0;
        }
        return spent;
    }

    /** CPU time of this JVM (the load client during a run), or 0 where the JVM cannot tell. */
    private static long ownCpuMillis() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime() / 1_000_000);
        }
        return 0;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static double argon2VerifyMillis() {
        Argon2idHasher hasher = new Argon2idHasher();
        PasswordHash hash;
        try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
            hash = hasher.hash(p);
        }
        double[] times = new double[15];
        for (int i = -3; i < times.length; i++) {
            long t0 = System.nanoTime();
            try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
                hasher.verify(p, hash);
            }
            if (i >= 0) {
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return Main.median(Arrays.stream(times));
    }

    /** {@code threads} threads verifying back to back for {@code seconds}; verifies per second. */
    private static double argon2ParallelVerifiesPerSecond(int threads, double seconds) throws InterruptedException {
        Argon2idHasher hasher = new Argon2idHasher();
        PasswordHash hash;
        try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
            hash = hasher.hash(p);
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
                        hasher.verify(p, hash);
                    }
                    done.incrementAndGet();
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }
}
