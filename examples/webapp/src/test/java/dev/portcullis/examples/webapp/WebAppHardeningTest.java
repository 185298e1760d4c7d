package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container-level defences of the example app, over real HTTP against the real app (issue 12:
 * item 1 slow bodies and connections per client, item 6 TRACE, item 10 the database directory,
 * item 12 error pages).
 */
class WebAppHardeningTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** A CSRF cookie as the login page sets it, {@code name=value}. */
    String csrfCookie() throws Exception {
        Http browser = new Http(app);
        browser.get("/login");
        return "portcullis_csrf=" + browser.cookies.get("portcullis_csrf");
    }

    /** A normal page load, with how long it took. */
    record Timed(int status, Duration took) {
    }

    /** {@code GET /} on a new connection, as a new visitor would; a wait of 5 s counts as 5 s. */
    Timed timedHome() throws Exception {
        long start = System.nanoTime();
        try (Socket s = RawHttp.open(app.base, "127.0.0.1")) {
            s.setSoTimeout(5_000);
            int status = RawHttp.exchange(s, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status();
            return new Timed(status, Duration.ofNanos(System.nanoTime() - start));
        } catch (SocketTimeoutException starved) {
            return new Timed(0, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    // ---- item 1: slow bodies, connections per client --------------------------------------

    @Test
    void twoHundredTrickledBodiesNeitherStarveOtherClientsNorLastLong() throws Exception {
        assertThat(timedHome().status()).as("warm-up").isEqualTo(200);
        // With a CSRF cookie the filter must read the form for the token: the body is awaited.
        String csrfCookie = csrfCookie();
        // 200 clients on 10 addresses (20 each, within the per-client limit), each declaring a
        // body within the size limit and sending its first byte; they used to hold all 200 threads
        String head = "POST /login HTTP/1.1\r\nHost: localhost\r\nCookie: " + csrfCookie + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\ne";
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = RawHttp.open(app.base, "127.0.0." + (10 + i % 10));
                s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                slow.add(s);
            }
            Timed during = timedHome();
            assertThat(during.took()).as("GET / while 200 bodies trickle").isLessThan(Duration.ofSeconds(1));
            assertThat(during.status()).isEqualTo(200);

            // the next byte, 2 s later: 2 bytes in 2 s is below the minimum data rate
            ScheduledFuture<?> round = trickle.schedule(() -> {
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write('m');
                    } catch (IOException closed) {
                        // refused already: fine
                    }
                }
            }, 2, TimeUnit.SECONDS);
            round.get(30, TimeUnit.SECONDS);
            Timed after = timedHome();
            assertThat(after.took()).as("GET / after the trickle round").isLessThan(Duration.ofSeconds(1));
            assertThat(after.status()).isEqualTo(200);

            for (Socket s : slow) {
                RawHttp.Reply cut = RawHttp.read(s.getInputStream());
                assertThat(cut.status()).as("a body below the minimum rate is refused").isEqualTo(408);
                assertThat(cut.body()).contains("The request did not arrive in time.");
            }
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItArrives() throws Exception {
        // the attack run's Content-Length; nothing of the body is sent
        RawHttp.Reply reply = RawHttp.exchange(app.base, "POST /login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n");
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.body()).contains("The request is larger than this site accepts.");
    }

    @Test
    void connectionsPerClientAddressAreLimited() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < WebServer.MAX_CONNECTIONS_PER_CLIENT; i++) {
                Socket s = RawHttp.open(app.base, "127.0.0.50");
                held.add(s);
                // answered, so the server has counted it; the connection stays open (keep-alive)
                assertThat(RawHttp.exchange(s, "GET /static/app.css HTTP/1.1\r\nHost: localhost\r\n\r\n").status())
                        .isEqualTo(200);
            }
            try (Socket extra = RawHttp.open(app.base, "127.0.0.50")) {
                assertThatThrownBy(() -> RawHttp.exchange(extra, "GET /static/app.css HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                        .as("one connection more from the same address is closed unanswered").isInstanceOf(IOException.class);
            }
            try (Socket other = RawHttp.open(app.base, "127.0.0.51")) {
                assertThat(RawHttp.exchange(other, "GET /static/app.css HTTP/1.1\r\nHost: localhost\r\n\r\n").status())
                        .as("another address is served").isEqualTo(200);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    // ---- item 6: TRACE ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/", "/login", "/static/app.css", "/api/me", "/api/tokens", "/nope"})
    void traceIsRefusedByTheContainerAndEchoesNothing(String target) throws Exception {
        RawHttp.Reply reply = RawHttp.exchange(app.base, "TRACE " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Cookie: portcullis_session=the-session-secret\r\nConnection: close\r\n\r\n");
        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).doesNotContain("TRACE"));
        assertThat(reply.body()).doesNotContain("the-session-secret").doesNotContain("Cookie");
        assertThat(RawHttp.exchange(app.base, "TRACK / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status())
                .isEqualTo(405);
    }

    // ---- item 12: every error answer is the app's own -------------------------------------

    static Stream<Arguments> malformedRequests() {
        String json = "application/json";
        return Stream.of(
                Arguments.of("bad UTF-8 in a query", "GET /login?next=%FF%FE HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n", 400, "text/html"),
                Arguments.of("bad UTF-8 in a token link", "GET /reset-password?token=%FF%FE HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n", 400, "text/html"),
                Arguments.of("bad percent-encoding in the path", "GET /%GG HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n", 400, "text/html"),
                Arguments.of("malformed chunked form", "POST /login HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\nZZ\r\nemail=a\r\n0\r\n\r\n", 400, "text/html"),
                Arguments.of("malformed chunked JSON", "POST /api/tokens HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n", 400, json),
                Arguments.of("JSON body declared longer than sent", "POST /api/tokens HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":\"b\"}", 408, json),
                Arguments.of("headers too large", "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000)
                        + "\r\nConnection: close\r\n\r\n", 431, "text/html"),
                Arguments.of("a missing static file", "GET /static/nope.css HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n", 404, "text/html"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestsGetTheAppsOwnErrorAnswer(String what, String request, int status, String type) throws Exception {
        RawHttp.Reply reply = RawHttp.exchange(app.base, request);

        assertThat(reply.status()).isEqualTo(status);
        assertOwnErrorAnswer(reply, status, type);
    }

    @Test
    void anInvalidUtf8FormBodyGetsTheAppsOwnAnswer() throws Exception {
        Http browser = new Http(app);
        String token = Http.csrfFrom(browser.get("/login").body());
        String cookie = "portcullis_csrf=" + browser.cookies.get("portcullis_csrf");
        for (String body : new String[] {"csrf_token=" + token + "&email=%FF%FE&password=x",
                "csrf_token=" + token + "&email=\u00ff\u00fe&password=x"}) {
            RawHttp.Reply reply = RawHttp.exchange(app.base, "POST /login HTTP/1.1\r\nHost: " + app.base.getAuthority()
                    + "\r\nCookie: " + cookie + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(reply.status()).as(body).isBetween(400, 499);
            assertThat(reply.header("Server")).isEmpty();
            assertThat(reply.body()).doesNotContain("CAUSED BY", "org.eclipse", "Exception", "Jetty", "HTTP ERROR");
        }
    }

    @Test
    void noAnswerNamesTheServer() throws Exception {
        for (String path : new String[] {"/", "/login", "/static/app.css", "/nope", "/api/me"}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(app.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Server")).as(path).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).as(path).isEmpty();
        }
    }

    static void assertOwnErrorAnswer(RawHttp.Reply reply, int status, String type) {
        assertThat(reply.header("Server")).as("no Server header").isEmpty();
        assertThat(reply.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(type));
        assertThat(reply.header("Content-Security-Policy")).contains(SecurityHeadersFilter.CSP);
        assertThat(reply.body()).doesNotContain("CAUSED BY", "org.eclipse", "Exception", "Jetty", "HTTP ERROR", "SERVLET");
        ErrorPages.Sentence sentence = ErrorPages.sentence(status);
        if (type.equals("application/json")) {
            assertThat(reply.body()).isEqualTo("{\"error\":\"" + sentence.code() + "\",\"message\":\"" + sentence.message()
                    + "\",\"fields\":{}}");
        } else {
            Matcher message = Pattern.compile("<p id=\"error-message\">([^<]*)</p>").matcher(reply.body());
            assertThat(message.find()).as("the app's error page").isTrue();
            assertThat(message.group(1)).isEqualTo(sentence.message());
        }
    }

    // ---- item 10: the embedded database's directory -----------------------------------------

    @Test
    void theEmbeddedDatabaseIsCreatedOwnerOnly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("new").resolve("data");
        try (RunningApp onDisk = new RunningApp(SMTP, RegistrationMode.IMMEDIATE,
                "jdbc:h2:file:" + data.resolve("portcullis") + ";WRITE_DELAY=0", "", "")) {
            assertThat(new Http(onDisk).submit("/register", "/register", Map.of("email", "disk@example.com",
                    "password", WebAppHttpTest.PASSWORD, "confirm_password", WebAppHttpTest.PASSWORD)).statusCode())
                    .isEqualTo(303);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("portcullis.mv.db"))))
                    .isEqualTo("rw-------");
        }
    }
}
