package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.account.RegistrationMode;
import dev.portcullis.testkit.ExternalService;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of the app behind one public URL — two app processes, and two {@code WebApp}s in this JVM
 * (each with its own Jetty, pool, Portcullis and revocation-bus connection) — sharing the database
 * and the configuration, nothing else: a form
 * served by one posts to the other, a session and an access token from one work on the other, and a
 * logout on one is refused by the other within 100 ms. Once on PostgreSQL alone (PostgreSQL bus on
 * by default) and once with Redis for sessions, throttle counters and the bus.
 */
class WebAppSeveralNodesTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /**
     * The client address of this test's requests, told by a trusted proxy: the database's throttle
     * counters are shared with every other test (and other runs, some on a fixed clock), so this
     * test counts its registrations and sign-ins on an address of its own.
     */
    final String clientAddress = "10." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250) + "."
            + (1 + (int) (Math.random() * 250));

    private Http browser(URI base) {
        Http http = new Http(base);
        http.headers.put("X-Forwarded-For", clientAddress);
        return http;
    }

    @Test
    void twoNodesOnPostgreSqlAcceptEachOthersFormsSessionsAndTokensAndShareLogouts() throws Exception {
        String db = ExternalService.postgresUrl();
        Map<String, String> env = sharedEnvironment();
        env.put("PORTCULLIS_BUS_CHANNEL", "pt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        bothWays(db, env);
    }

    @Test
    void twoNodesWithRedisAcceptEachOthersFormsSessionsAndTokensAndShareLogouts() throws Exception {
        String db = ExternalService.postgresUrl();
        Map<String, String> env = sharedEnvironment();
        env.put("PORTCULLIS_REDIS_URL", ExternalService.redisUrl());
        env.put("PORTCULLIS_REDIS_PREFIX", "portcullis-test:" + UUID.randomUUID() + ":");
        bothWays(db, env);
    }

    @Test
    void nodesWithDifferentCsrfSecretsRefuseEachOthersForms() throws Exception {
        String db = ExternalService.postgresUrl();
        Map<String, String> envA = sharedEnvironment();
        Map<String, String> envB = new HashMap<>(envA);
        envA.put("PORTCULLIS_CSRF_SECRET", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        byte[] other = new byte[32];
        other[0] = 1;
        envB.put("PORTCULLIS_CSRF_SECRET", java.util.Base64.getEncoder().encodeToString(other));
        try (RunningApp a = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, db, "", "", envA);
             RunningApp b = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, db, "", "", envB)) {
            Http onA = browser(a.base);
            Http onB = browser(b.base);
            String csrf = Http.csrfFrom(onA.get("/register").body());
            onB.cookies.putAll(onA.cookies);

            HttpResponse<String> refused = onB.post("/register", Map.of("email", "csrf-" + UUID.randomUUID() + "@example.com",
                    "password", PASSWORD, "confirm_password", PASSWORD, "csrf_token", csrf));

            assertThat(refused.statusCode()).as("what the shared key prevents").isEqualTo(403);
        }
    }

    /** What an operator gives every node alike: the public URL and the signing key (a mounted secret). */
    private static Map<String, String> sharedEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PORTCULLIS_BASE_URL", "http://nodes.localhost");
        env.put("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1"); // so the test's own client address counts
        env.put("PORTCULLIS_JWT_KEY_FILE", Files.createTempDirectory("portcullis-nodes").resolve("jwt.json").toString());
        return env;
    }

    @Test
    void twoAppProcessesOnPostgreSqlWithNothingSharedButTheDatabaseAndTheConfiguration(@TempDir Path dirA,
                                                                                         @TempDir Path dirB) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PORTCULLIS_DB_URL", ExternalService.postgresUrl());
        env.put("PORTCULLIS_BASE_URL", "http://nodes.localhost");
        env.put("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1"); // localhost may be either
        env.put("PORTCULLIS_JWT_KEY", SigningKey.generate(TokenAlgorithm.RS256).toPrivateJwkJson());
        env.put("PORTCULLIS_BUS_CHANNEL", "pt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        int portA = RunningApp.freePort();
        int portB = RunningApp.freePort();
        // Each in a working directory of its own: no file is shared (./data stays per process).
        try (CrashDurabilityTest.Child a = CrashDurabilityTest.Child.start(dirA, portA, env);
             CrashDurabilityTest.Child b = CrashDurabilityTest.Child.start(dirB, portB, env)) {
            bothWays(URI.create("http://localhost:" + portA), URI.create("http://localhost:" + portB));
        }
    }

    @Test
    void withRedisThePasskeyChallengesOfOneNodeLiveInRedis() throws Exception {
        String prefix = "portcullis-test:" + UUID.randomUUID() + ":";
        Map<String, String> env = sharedEnvironment();
        env.put("PORTCULLIS_REDIS_URL", ExternalService.redisUrl());
        env.put("PORTCULLIS_REDIS_PREFIX", prefix);
        env.put("PORTCULLIS_BASE_URL", "http://localhost"); // where browsers offer passkeys over plain HTTP
        try (RunningApp a = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, ExternalService.postgresUrl(), "", "", env);
             redis.clients.jedis.JedisPooled redis = new redis.clients.jedis.JedisPooled(ExternalService.redisUrl())) {
            Http onA = browser(a.base);
            String csrf = Http.csrfFrom(onA.get("/login").body());
            HttpResponse<String> options = onA.send(HttpRequest.newBuilder(a.base.resolve("/auth/passkeys/authentication/options"))
                    .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));

            assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
            assertThat(redis.keys(prefix + "*")).as("the challenge, kept in Redis").anySatisfy(k -> assertThat(k).contains("passkey"));
        }
    }

    private void bothWays(String db, Map<String, String> env) throws Exception {
        try (RunningApp a = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, db, "", "", env);
             RunningApp b = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, db, "", "", env)) {
            bothWays(a.base, b.base);
        }
    }

    private void bothWays(URI a, URI b) throws Exception {
        {
            String email = "nodes-" + UUID.randomUUID() + "@example.com";
            Http onA = browser(a);
            Http onB = browser(b);

            // The register form comes from A and is posted to B.
            String csrf = Http.csrfFrom(onA.get("/register").body());
            onB.cookies.putAll(onA.cookies);
            HttpResponse<String> registered = onB.post("/register", Map.of("email", email, "password", PASSWORD,
                    "confirm_password", PASSWORD, "csrf_token", csrf));
            assertThat(registered.statusCode()).as("a form served by A is accepted by B").isEqualTo(303);

            // The session B started works on A.
            onA.cookies.clear();
            onA.cookies.putAll(onB.cookies);
            assertThat(onA.get("/profile").body()).contains(email);

            // An access token from A is accepted by B.
            HttpResponse<String> issued = json(a, "/api/tokens", Map.of("email", email, "password", PASSWORD));
            assertThat(issued.statusCode()).isEqualTo(200);
            String access = JSON.readTree(issued.body()).get("access_token").asText();
            HttpResponse<String> me = client.send(HttpRequest.newBuilder(b.resolve("/api/me"))
                    .header("Authorization", "Bearer " + access).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).as("a token from A on B").isEqualTo(200);
            assertThat(JSON.readTree(me.body()).get("email").asText()).isEqualTo(email);

            // A logout on A is refused by B, which had the session cached.
            List<Long> millis = new ArrayList<>();
            for (int trial = 0; trial < 3; trial++) {
                if (trial > 0) {
                    Http fresh = browser(a);
                    assertThat(fresh.submit("/login", "/login", Map.of("email", email, "password", PASSWORD))
                            .statusCode()).isEqualTo(303);
                    onA = fresh;
                }
                onB.cookies.clear();
                onB.cookies.putAll(onA.cookies);
                assertThat(onB.get("/profile").statusCode()).isEqualTo(200);
                long start = System.nanoTime();
                assertThat(onA.submit("/", "/logout", Map.of()).statusCode()).isEqualTo(303);
                Http polling = onB;
                await(() -> status(polling, "/profile") == 302);
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            long median = millis.stream().sorted().toList().get(1);
            System.out.println(getClass().getSimpleName() + ": logout on node A refused by node B after (ms) " + millis);
            assertThat(median).as("median ms from the logout answer to B's refusal").isLessThanOrEqualTo(100);
        }
    }

    private static int status(Http http, String path) {
        try {
            return http.get(path).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> json(URI app, String path, Object body) throws Exception {
        return client.send(HttpRequest.newBuilder(app.resolve(path)).header("Content-Type", "application/json")
                .header("X-Forwarded-For", clientAddress)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("node B still accepts the session 5 s after the logout on node A");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
