package dev.portcullis.benchmarks;

import dev.portcullis.Portcullis;
import dev.portcullis.token.Tokens;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.servlet.AuthConfig;
import dev.portcullis.servlet.AuthEndpointsServlet;
import dev.portcullis.servlet.AuthFilter;
import dev.portcullis.servlet.TokenBearerAuthenticator;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenAlgorithm;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * The server under load, run as its own JVM by {@link Main} so that its memory can be read from
 * {@code /proc}. Embedded Jetty 12 (ee10), default thread pool, one connector on 127.0.0.1:
 * <ul>
 *   <li>{@code /bare/hello} — the tiny endpoint, no filter (variant 1); {@code /bare/stats} — peak
 *       heap, RSS and thread count sampled every 20 ms since the last {@code ?reset};</li>
 *   <li>{@code /app/hello} — the same endpoint behind {@link AuthFilter} (protected), reached with a
 *       session cookie (variant 2; H2-backed JDBC stores through HikariCP) or a bearer JWT (variant 3,
 *       RS256, verified-token cache on); {@code /app/auth/*} the ready-made endpoints,
 *       {@code /app/login} the page a failed form login is forwarded to;</li>
 *   <li>{@code /mem/...} — the same as {@code /app} over in-memory stores (variant 2b);</li>
 *   <li>{@code /bus/...} — the same stores as {@code /app} on a Portcullis with a revocation bus (2c);</li>
 *   <li>with {@code -Dbench.serverTimes=true} (the flood servers): {@link ServerTimes} outermost on
 *       {@code /app/hello}, read and emptied by {@code /bare/times}.</li>
 * </ul>
 * The filter believes {@code X-Forwarded-For} from 127.0.0.1 only, so the flood can play many
 * client addresses. Prints {@code PORT n}, {@code BEARER token}, {@code READY}; stops when stdin closes.
 */
public final class LoadServer {

    static final String PROBE_USER = "probe@bench.test";
    static final int LOGIN_USERS = 64;

    private LoadServer() {
    }

    static String loginUser(int i) {
        return "login-" + i + "@bench.test";
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Fixtures.Stores stores = Fixtures.h2Stores(10);
        PasswordHasher hasher = Fixtures.hasher();
        if (Boolean.getBoolean("bench.memAttempts")) { // experiment: the flood's attempts off the probe's H2
            stores = new Fixtures.Stores(stores.users(), stores.sessions(), new dev.portcullis.memory.InMemoryAttemptStore(),
                    stores.dataSource());
        }
        Portcullis portcullis = Fixtures.portcullis(stores, hasher, Fixtures.defaultThrottle());
        PasswordHash hash = Fixtures.hashOfPassword(hasher);
        Fixtures.addUser(stores.users(), PROBE_USER, hash);
        for (int i = 0; i < LOGIN_USERS; i++) {
            Fixtures.addUser(stores.users(), loginUser(i), hash);
        }
        Tokens tokens = Fixtures.tokenService(stores, hasher, SigningKey.generate(TokenAlgorithm.RS256), 10_000);
        String bearer = Fixtures.accessToken(tokens, PROBE_USER);

        Server server = new Server();
        // -Dbench.selectors=N: an experiment (docs/performance.md); -1 is Jetty's default.
        ServerConnector connector = new ServerConnector(server, -1, Integer.getInteger("bench.selectors", -1));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler bare = new ServletContextHandler();
        bare.setContextPath("/bare");
        bare.addServlet(new ServletHolder(new Hello()), "/hello");
        Stats stats = new Stats();
        bare.addServlet(new ServletHolder(stats), "/stats");

        Optional<ServerTimes> times = Boolean.getBoolean("bench.serverTimes") ? Optional.of(new ServerTimes()) : Optional.empty();
        times.ifPresent(t -> bare.addServlet(new ServletHolder(new ServerTimes.Servlet(t)), "/times"));
        ServletContextHandler app = authContext("/app", portcullis,
                AuthConfig.builder().bearerAuthenticator(new TokenBearerAuthenticator(tokens)), times);

        // The same filter and endpoints over in-memory stores: separates the database's share.
        Fixtures.Stores memory = Fixtures.memoryStores();
        Portcullis memoryPortcullis = Fixtures.portcullis(memory, hasher, Fixtures.defaultThrottle());
        Fixtures.addUser(memory.users(), PROBE_USER, hash);
        ServletContextHandler mem = authContext("/mem", memoryPortcullis, AuthConfig.builder(), Optional.empty());

        // The same stores and filter as /app, on a Portcullis with a revocation bus (issue 17): the
        // PostgreSQL bus when PORTCULLIS_TEST_POSTGRES_URL is set, else Redis, else the in-JVM bus.
        BusChoice bus = BusChoice.fromEnvironment();
        Portcullis busPortcullis = dev.portcullis.Portcullis.builder()
                .stores(dev.portcullis.Stores.of(stores.users(), stores.sessions(), stores.attempts()))
                .passwordHasher(hasher).throttlePolicy(Fixtures.defaultThrottle()).serviceName("bench")
                .revocationBus(bus.bus()).build();
        ServletContextHandler withBus = authContext("/bus", busPortcullis, AuthConfig.builder(), Optional.empty());

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(bare);
        contexts.addHandler(app);
        contexts.addHandler(mem);
        contexts.addHandler(withBus);
        server.setHandler((Handler) contexts);
        server.start();

        System.out.println("PORT " + connector.getLocalPort());
        System.out.println("BEARER " + bearer);
        System.out.println("BUS " + bus.name());
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until the parent closes our stdin (or dies)
        }
        server.stop();
        portcullis.close();
        busPortcullis.close();
        bus.close();
        stores.close();
        System.exit(0);
    }

    /** {@code /hello} protected by {@link AuthFilter}, the ready-made endpoints and a login page. */
    private static ServletContextHandler authContext(String path, Portcullis portcullis, AuthConfig.Builder config,
                                                     Optional<ServerTimes> times) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(path);
        // Outermost, so that its end time is after everything the auth filter does.
        times.ifPresent(t -> context.addFilter(new FilterHolder(t), "/hello", EnumSet.of(DispatcherType.REQUEST)));
        AuthConfig built = config.protect("/hello")
                .trustedProxies(List.of("127.0.0.1"))
                .clientAddressHeader("X-Forwarded-For")
                .build();
        FilterHolder filter = new FilterHolder(new AuthFilter(portcullis, built));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));
        context.addServlet(new ServletHolder(new Hello()), "/hello");
        // Async-supported, as the servlet guide recommends: a sign-in answered "busy" is then held
        // for its Retry-After without a container thread (issue 18).
        ServletHolder endpoints = new ServletHolder(new AuthEndpointsServlet());
        // -Dbench.servletAsync=false: for experiments only (the behaviour before issue 18).
        endpoints.setAsyncSupported(!"false".equals(System.getProperty("bench.servletAsync")));
        context.addServlet(endpoints, "/auth/*");
        context.addServlet(new ServletHolder(new LoginPage()), "/login");
        return context;
    }

    /** The tiny endpoint: 6 bytes of text. */
    static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] BODY = "hello\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
        }
    }

    /** Where a failed form login is forwarded (status already set by the endpoint). */
    static final class LoginPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] BODY = "login form\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
        }
    }

    /**
     * Peak heap used, RSS and live threads, sampled every 20 ms from the first {@code ?reset} on (each starts a new window),
     * and the JIT's total compilation time and the process CPU time, read at each call.
     */
    static final class Stats extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient AtomicLong heapPeak = new AtomicLong();
        private final transient AtomicLong rssPeakKiB = new AtomicLong();
        private final transient AtomicLong threadsPeak = new AtomicLong();
        private final transient AtomicBoolean sampling = new AtomicBoolean();

        /**
         * Starts the 20 ms sampler, once; called by the first {@code ?reset}, so that the phases
         * which read no peaks (throughput, logins) do not pay for it: reading /proc and the MXBeans
         * 50 times a second took about 1 % of the server's CPU.
         */
        private void startSampling() {
            if (sampling.getAndSet(true)) {
                return;
            }
            Thread t = new Thread(() -> {
                while (true) {
                    sample();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stats-sampler");
            t.setDaemon(true);
            t.start();
        }

        private void sample() {
            heapPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            rssPeakKiB.accumulateAndGet(statusKiB("VmRSS:"), Math::max);
            threadsPeak.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
        }

        /** CPU time of the whole server process (every thread), or -1 where the JVM cannot tell. */
        private static long processCpuMillis() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long nanos = os.getProcessCpuTime();
                return nanos < 0 ? -1 : nanos / 1_000_000;
            }
            return -1;
        }

        static long statusKiB(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getParameter("reset") != null) {
                startSampling();
                heapPeak.set(0);
                rssPeakKiB.set(0);
                threadsPeak.set(0);
                sample();
            }
            String body = "heapPeakBytes=" + heapPeak.get() + " rssPeakKiB=" + rssPeakKiB.get()
                    + " threadsPeak=" + threadsPeak.get() + " vmHwmKiB=" + statusKiB("VmHWM:")
                    + " compileMillis=" + ManagementFactory.getCompilationMXBean().getTotalCompilationTime()
                    + " cpuMillis=" + processCpuMillis() + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            resp.setContentType("text/plain");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }
}
