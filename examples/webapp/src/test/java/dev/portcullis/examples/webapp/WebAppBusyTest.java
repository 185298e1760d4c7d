package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.account.RegistrationMode;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app's own login form (LoginServlet, on WebAuth) under a login flood: with one hashing slot
 * and no waiting place (PORTCULLIS_HASHING_*), sign-ins posted at the same moment find the slot
 * taken, and are answered at once with 503, {@code Retry-After} and the login page saying so;
 * then their connection is held for that delay ({@code WebAuth.holdIfBusy}), so the next request
 * on it is answered only after the wait. Real HTTP, real Argon2id.
 */
class WebAppBusyTest {

    static final String PASSWORD = WebAppHttpTest.PASSWORD;
    /** Sign-ins posted at once per round; with one slot, all but one of those that meet are busy. */
    static final int AT_ONCE = 8;

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;

    @BeforeEach
    void start() throws Exception {
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of(
                "PORTCULLIS_HASHING_CONCURRENCY", "1",
                "PORTCULLIS_HASHING_MAX_WAIT_MS", "0",
                "PORTCULLIS_HASHING_MAX_WAITING", "0"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aBusySignInGetsA503WithRetryAfterAndTheLoginPageThenItsConnectionWaits() throws Exception {
        Http owner = new Http(app);
        assertThat(owner.submit("/register", "/register", Map.of("email", "ada@example.com", "password", PASSWORD,
                "confirm_password", PASSWORD)).statusCode()).isEqualTo(303);

        Attempt busy = null;
        for (int round = 0; round < 10 && busy == null; round++) {
            busy = signInsAtOnce().stream().filter(a -> a.response().statusCode() == 503).findFirst().orElse(null);
        }

        assertThat(busy).as("a busy sign-in in 10 rounds of " + AT_ONCE + " at once").isNotNull();
        HttpResponse<String> page = busy.response();
        assertThat(page.headers().firstValue("Retry-After")).contains("1");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<h1>Log in</h1>",
                "<div class=\"flash flash-error\" role=\"alert\" id=\"form-error\">We are busy right now. Try again in a few seconds.</div>",
                "value=\"ada@example.com\"", "name=\"csrf_token\"");

        // The same client's next request reuses the held connection: answered after the delay, not before.
        HttpResponse<String> next = busy.client().get("/login");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - busy.answeredAt());
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(waitedMillis).as("the next request on the held connection").isGreaterThanOrEqualTo(500);
    }

    /** One sign-in of the flood: the client that posted it, its answer, and when the answer arrived. */
    record Attempt(Http client, HttpResponse<String> response, long answeredAt) {
    }

    /** {@link #AT_ONCE} browsers, each with its form open, post the right password at the same moment. */
    private List<Attempt> signInsAtOnce() throws Exception {
        List<Http> browsers = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            Http browser = new Http(app);
            tokens.add(Http.csrfFrom(browser.get("/login").body()));
            browsers.add(browser);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE);
        List<CompletableFuture<Attempt>> posts = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            Http browser = browsers.get(i);
            String token = tokens.get(i);
            posts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    HttpResponse<String> r = browser.post("/login", Map.of("email", "ada@example.com", "password", PASSWORD,
                            "csrf_token", token));
                    return new Attempt(browser, r, System.nanoTime());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads));
        }
        go.countDown();
        List<Attempt> attempts = new ArrayList<>();
        try {
            for (CompletableFuture<Attempt> post : posts) {
                Attempt a = post.get(1, TimeUnit.MINUTES);
                assertThat(a.response().statusCode()).as(a.response().body()).isIn(303, 503);
                attempts.add(a);
            }
        } finally {
            threads.shutdownNow();
        }
        return attempts;
    }
}
