package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.Portcullis;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.PasswordHasher;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a sign-in answered "busy" gets its 503 with {@code Retry-After} at once, and its
 * request is then held in async mode (no container thread) for the retry delay — where the chain
 * supports async; elsewhere it is answered as before. The same for an application's own login
 * servlet through {@link WebAuth#holdIfBusy}. Real HTTP on embedded Jetty 12; a hasher
 * that blocks the one hashing slot makes every other sign-in "busy" (no waiting places).
 */
class BusyHoldJettyTest {

    private static final Pattern CSRF = Pattern.compile("\"csrfToken\"\\s*:\\s*\"([^\"]+)\"");

    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** Per request path + "#" + n: whether the request was in async mode when the chain returned. */
    private final Map<String, CompletableFuture<Boolean>> asyncAfterChain = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private Portcullis portcullis;
    private int port;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (server != null) {
            server.stop();
        }
        portcullis.close();
    }

    @Test
    void busyFormLoginIsAnsweredAtOnceThenHeldAsyncAndTheConnectionServesAgainAfterwards() throws Exception {
        start(true);
        CompletableFuture<HttpResponse<String>> first = occupyTheHashingSlot();

        HttpResponse<String> busy = postLogin("nobody@example.com", false);

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(asyncAfterChain("/app/auth/login#busy")).as("held in async mode").isTrue();
        release.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).as("the verified one: wrong password").isEqualTo(401);
        assertThat(asyncAfterChain("/app/auth/login#first")).as("a verified answer is not held").isFalse();
        assertThat(postLogin("nobody@example.com", false).statusCode()).as("after the hold").isEqualTo(401);
    }

    @Test
    void busyJsonLoginGetsTheBusyErrorAtOnceAndIsHeld() throws Exception {
        start(true);
        CompletableFuture<HttpResponse<String>> first = occupyTheHashingSlot();

        HttpResponse<String> busy = postLogin("nobody@example.com", true);

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.body()).contains("\"busy\"");
        assertThat(asyncAfterChain("/app/auth/login#busy")).isTrue();
        release.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(401);
    }

    @Test
    void withoutAsyncSupportTheBusyAnswerGoesOutAsBefore() throws Exception {
        start(false);
        CompletableFuture<HttpResponse<String>> first = occupyTheHashingSlot();

        HttpResponse<String> busy = postLogin("nobody@example.com", false);

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(asyncAfterChain("/app/auth/login#busy")).isFalse();
        release.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(401);
    }

    @Test
    void anApplicationsOwnLoginServletHoldsItsBusyAnswerThroughWebAuth() throws Exception {
        java.util.Set<Thread> before = holdThreads();
        start(true);
        CompletableFuture<HttpResponse<String>> first = occupyTheHashingSlot();

        HttpResponse<String> busy = postLogin("/app/own-login", "nobody@example.com", false, "busy");

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(busy.body()).isEqualTo("own page: " + ResultResponses.BUSY);
        assertThat(asyncAfterChain("/app/own-login#busy")).as("held in async mode: the container thread left").isTrue();
        release.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(401);
        HttpResponse<String> after = postLogin("/app/own-login", "nobody@example.com", false, "after");
        assertThat(after.statusCode()).as("after the hold").isEqualTo(401);
        assertThat(after.body()).isEqualTo("own page: " + ResultResponses.INVALID_CREDENTIALS);
        assertThat(asyncAfterChain("/app/own-login#after")).as("only busy answers are held").isFalse();

        java.util.List<Thread> timers = holdThreads().stream().filter(t -> !before.contains(t)).toList();
        assertThat(timers).as("the filter's one timer thread").hasSize(1);
        server.stop(); // the filter is destroyed: the hold's timer thread ends with it
        server = null;
        timers.get(0).join(TimeUnit.SECONDS.toMillis(10));
        assertThat(timers.get(0).isAlive()).as("the timer thread after the filter was destroyed").isFalse();
    }

    @Test
    void anOwnServletWithoutAsyncSupportAnswersBusyAtOnceAsWritten() throws Exception {
        start(false);
        CompletableFuture<HttpResponse<String>> first = occupyTheHashingSlot();

        HttpResponse<String> busy = postLogin("/app/own-login", "nobody@example.com", false, "busy");

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.body()).isEqualTo("own page: " + ResultResponses.BUSY);
        assertThat(asyncAfterChain("/app/own-login#busy")).isFalse();
        release.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(401);
    }

    private static java.util.Set<Thread> holdThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("portcullis-busy-hold"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Completed by the recording filter once the chain returned (the answer may reach the client first). */
    private CompletableFuture<Boolean> recorded(String key) {
        return asyncAfterChain.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    private boolean asyncAfterChain(String key) throws Exception {
        return recorded(key).get(1, TimeUnit.MINUTES);
    }

    /** Starts a login whose verify blocks in the one hashing slot; returns once it is inside. */
    private CompletableFuture<HttpResponse<String>> occupyTheHashingSlot() throws Exception {
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return postLogin("first@example.com", false, "first");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(1, TimeUnit.MINUTES)).isTrue();
        return first;
    }

    private HttpResponse<String> postLogin(String email, boolean json) throws Exception {
        return postLogin(email, json, "busy");
    }

    private HttpResponse<String> postLogin(String email, boolean json, String tag) throws Exception {
        return postLogin("/app/auth/login", email, json, tag);
    }

    private HttpResponse<String> postLogin(String path, String email, boolean json, String tag) throws Exception {
        return post(path, email, "", json, tag);
    }

    private HttpResponse<String> postForm(String path, String email, String extra, String tag) throws Exception {
        return post(path, email, extra, false, tag);
    }

    private HttpResponse<String> post(String path, String email, String extra, boolean json, String tag) throws Exception {
        HttpResponse<String> csrf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app/auth/csrf"))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        String cookie = csrf.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        Matcher m = CSRF.matcher(csrf.body());
        assertThat(m.find()).as(csrf.body()).isTrue();
        String body = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode("not the password at all", StandardCharsets.UTF_8)
                + "&csrf_token=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8) + extra;
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Test-Tag", tag)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (json) {
            post.header("Accept", "application/json");
        }
        return http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void busyRegistrationIsHeldToo() throws Exception {
        // Every endpoint that hashes answers "busy" through the same failure path, which holds it.
        start(true);
        CompletableFuture<HttpResponse<String>> first = occupyTheHashingSlot();

        HttpResponse<String> busy = postForm("/app/auth/register", "newcomer@example.com",
                "&confirm_password=" + URLEncoder.encode("not the password at all", StandardCharsets.UTF_8), "busy");

        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(asyncAfterChain("/app/auth/register#busy")).as("held in async mode").isTrue();
        release.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(401);
    }

    private void start(boolean servletAsync) throws Exception {
        portcullis = Portcullis.builder().stores(InMemoryStores.create()).passwordHasher(new BlockingHasher())
                .hashingLimits(1, Duration.ZERO, 0).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/app");
        Filter recorder = (req, res, chain) -> {
            chain.doFilter(req, res);
            jakarta.servlet.http.HttpServletRequest r = (jakarta.servlet.http.HttpServletRequest) req;
            if (r.getHeader("X-Test-Tag") != null) {
                recorded(r.getRequestURI() + "#" + r.getHeader("X-Test-Tag")).complete(r.isAsyncStarted());
            }
        };
        FilterHolder outer = new FilterHolder(recorder);
        outer.setAsyncSupported(true);
        context.addFilter(outer, "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        FilterHolder filter = new FilterHolder(new AuthFilter(portcullis, TestApp.config().build()));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));
        ServletHolder endpoints = new ServletHolder(new AuthEndpointsServlet());
        endpoints.setAsyncSupported(servletAsync);
        context.addServlet(endpoints, "/auth/*");
        HttpServlet login = new TestApp.FormPage("/auth/login");
        context.addServlet(new ServletHolder(login), "/login");
        context.addServlet(new ServletHolder(new TestApp.FormPage("/auth/register")), "/register");
        ServletHolder own = new ServletHolder(new OwnLogin());
        own.setAsyncSupported(servletAsync);
        context.addServlet(own, "/own-login");
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(context);
        server.setHandler((Handler) contexts);
        server.start();
        port = connector.getLocalPort();
    }

    /** An application's own login servlet on the public API only, as examples/webapp's LoginServlet. */
    static final class OwnLogin extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            WebAuth web = WebAuth.of(req, resp);
            LoginResult result = web.portcullis().sessions().login(new Credentials(req.getParameter("email"),
                    RawPassword.of(req.getParameter("password"))), web.clientAddress(), web.deviceToken());
            Answer answer = ResultResponses.login(result);
            answer.applyHeaders(resp);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print("own page: " + answer.message());
            web.holdIfBusy(answer);
        }
    }

    /** Hashes are plain text; a verify of "first@…"'s attempt (the dummy hash) blocks until released. */
    private final class BlockingHasher implements PasswordHasher {
        @Override
        public PasswordHash hash(RawPassword password) {
            return new PasswordHash("test$" + password.codePointCount());
        }

        @Override
        public boolean verify(RawPassword password, PasswordHash hash) {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        @Override
        public boolean supports(PasswordHash hash) {
            return hash.encoded().startsWith("test$");
        }
    }
}
