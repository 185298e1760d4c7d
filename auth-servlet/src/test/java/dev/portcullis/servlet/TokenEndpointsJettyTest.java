package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.token.TokenSettings;
import dev.portcullis.token.Tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.token.AccessTokenKeys;
import dev.portcullis.token.ApiKeyResult;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenAlgorithm;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The token endpoints, the JWKS and bearer authentication over real HTTP on embedded Jetty 12. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointsJettyTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryUserStore users = new InMemoryUserStore();
    final JettyContainer container = new JettyContainer();
    final AtomicInteger accounts = new AtomicInteger();
    final SigningKey key = SigningKey.generate(TokenAlgorithm.RS256);
    Portcullis portcullis;
    Tokens tokens;
    int port;

    @BeforeAll
    void start() throws Exception {
        portcullis = Portcullis.builder()
                .stores(InMemoryStores.create().withUsers(users)
                        .withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
                .secondFactorKey("an application key of 32+ bytes, for tests only".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .clock(clock)
                .tokens(TokenSettings.builder().keys(AccessTokenKeys.of(key))
                        .issuer("https://auth.example.com").audience("https://api.example.com").build())
                .build();
        tokens = portcullis.tokens();
        AuthConfig config = TestApp.config()
                .publicPath("/api/tokens/*")
                .tokenEndpointPath("/api/tokens/*")
                .bearerAuthenticator(new TokenBearerAuthenticator(tokens))
                .build();
        TestApp.Deployment d = TestApp.deployment("/app", portcullis, config);
        Map<String, HttpServlet> servlets = new LinkedHashMap<>(d.servlets());
        servlets.put("/api/tokens/*", new TokenEndpointsServlet(tokens));
        servlets.put("/api/auth/*", new AuthEndpointsServlet()); // session endpoints where bearer tokens count
        servlets.put("/.well-known/jwks.json", new JwksServlet(tokens));
        port = container.start(List.of(new TestApp.Deployment("/app", d.filter(), servlets)));
    }

    @AfterAll
    void stop() throws Exception {
        container.stop();
    }

    String newAccount() {
        String email = "api" + accounts.incrementAndGet() + "@example.com";
        RegistrationResult r = portcullis.accounts().register(new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)),
                "198.51.100." + accounts.get()); // one address per account: registrations are budgeted per address
        assertThat(r).isInstanceOf(RegistrationResult.Registered.class);
        return email;
    }

    /** A script: no cookies kept, JSON bodies. */
    Browser.Response call(String method, String path, String json, String... headers) {
        Browser script = new Browser(port);
        Browser.Response r = script.send(method, path, "application/json", json, headers);
        assertThat(r.setCookies()).as("no cookies for " + method + " " + path).isEmpty();
        return r;
    }

    static String field(String json, String name) {
        return json.replaceAll(".*\"" + name + "\":\"?([^\",}]+)\"?.*", "$1");
    }

    Browser.Response issue(String email, String password) {
        return call("POST", "/app/api/tokens", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    /** RFC 6238 with the JDK, as an authenticator app computes it (the test does not use the core's code). */
    static String totp(byte[] secret, Instant at) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret, "RAW"));
        byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(at.getEpochSecond() / 30).array());
        int o = h[h.length - 1] & 0x0f;
        int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
        return String.format("%06d", bin % 1_000_000);
    }

    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    @Test
    void anAccountWithASecondFactorGetsTokensOnlyWithAFreshCode() throws Exception {
        String email = "mfa" + accounts.incrementAndGet() + "@example.com";
        RegistrationResult.Registered r = (RegistrationResult.Registered) portcullis.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "198.51.100.200");
        String secret = ((EnrolmentStartResult.Started) portcullis.secondFactors().startEnrolment(r.session(), ""))
                .setup().secret();
        byte[] key = base32(secret);
        assertThat(portcullis.secondFactors().confirmEnrolment(r.session(), totp(key, clock.instant()), ""))
                .isInstanceOf(EnrolmentResult.Enrolled.class);

        Browser.Response alone = issue(email, PASSWORD);
        assertThat(alone.status()).as(alone.body()).isEqualTo(401);
        assertThat(alone.body()).contains("\"error\":\"mfa_required\"").doesNotContain("access_token");

        Browser.Response odd = call("POST", "/app/api/tokens", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"code\":\"\u0661\u0662\u0663\u0664\u0665\u0666\"}");
        assertThat(odd.status()).as(odd.body()).isEqualTo(400);
        assertThat(odd.body()).contains("invalid_request").contains("\"code\"");

        clock.advance(Duration.ofSeconds(30));
        String code = totp(key, clock.instant());
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"code\":\"" + code + "\"}";
        Browser.Response issued = call("POST", "/app/api/tokens", body);
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(issued.body()).contains("access_token");

        Browser.Response replay = call("POST", "/app/api/tokens", body);
        assertThat(replay.status()).as(replay.body()).isEqualTo(401);
        assertThat(replay.body()).contains("\"error\":\"invalid_code\"").doesNotContain("access_token");
    }

    @Test
    void issueThenCallAProtectedApiWithTheBearerTokenStatelessly() {
        String email = newAccount();
        Browser.Response issued = issue(email, PASSWORD);
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(issued.header("Cache-Control")).contains("no-store");
        assertThat(issued.body()).contains("\"token_type\":\"Bearer\"").contains("\"expires_in\":600")
                .containsPattern("\"refresh_token\":\"[A-Za-z0-9_-]{43}\"");
        String access = field(issued.body(), "access_token");

        Browser.Response me = call("GET", "/app/api/me", "", "Authorization", "Bearer " + access);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains("\"user\":\"" + email + "\"");
        Browser.Response post = call("POST", "/app/api/things", "{}", "Authorization", "Bearer " + access);
        assertThat(post.status()).as("bearer requests need no CSRF token").isNotEqualTo(403);
    }

    @Test
    void aTokenEndpointAnswers415ToAnythingButJsonNotACsrfRefusal() {
        Browser b = new Browser(port);
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"}) {
            Browser.Response r = b.send("POST", "/app/api/tokens", type, "email=a%40example.com&password=x");
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.body()).as(type).contains("\"error\":\"unsupported_media_type\"").contains("application/json")
                    .doesNotContain("CSRF");
        }
        Browser.Response none = b.send("POST", "/app/api/tokens", null, "");
        assertThat(none.status()).isEqualTo(415);
    }

    @Test
    void aBearerTokenOutsideTheApiPathsAuthenticatesNobody() {
        String access = field(issue(newAccount(), PASSWORD).body(), "access_token");

        Browser.Response page = call("GET", "/app/account/settings", "", "Authorization", "Bearer " + access);
        assertThat(page.status()).as("pages are not for bearer tokens").isIn(302, 401);
        assertThat(page.body()).doesNotContain(TestApp.ACCOUNT_SECRET);
        Browser.Response form = call("POST", "/app/account/settings", "{}", "Authorization", "Bearer " + access);
        assertThat(form.status()).isIn(302, 401);
    }

    @Test
    void onlyAnAcceptedTokenOnAnApiPathSkipsTheCsrfCheck() {
        String email = newAccount();
        String access = field(issue(email, PASSWORD).body(), "access_token");

        Browser.Response page = call("POST", "/app/public", "{}", "Authorization", "Bearer " + access);
        assertThat(page.status()).as("a valid token off the API paths is CSRF-checked").isEqualTo(403);
        assertThat(page.body()).contains("CSRF");
        Browser.Response junk = call("POST", "/app/api/things", "{}", "Authorization", "Bearer junk");
        assertThat(junk.status()).as("refused by the authenticator: the challenge, not a pass").isEqualTo(401);
        assertThat(call("POST", "/app/api/things", "{}", "Authorization", "Bearer " + access).status()).isNotEqualTo(403);
    }

    @Test
    void anAcceptedBearerRequestCannotSignInToASession() {
        String email = newAccount();
        String access = field(issue(email, PASSWORD).body(), "access_token");
        // call() asserts that no cookie is set
        Browser.Response login = call("POST", "/app/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
                "Authorization", "Bearer " + access);
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.body()).contains("\"error\":\"bearer_not_accepted\"").doesNotContain("csrfToken");
        Browser.Response register = call("POST", "/app/api/auth/register", "{\"email\":\"bearer-new@example.com\",\"password\":\""
                + PASSWORD + "\",\"confirmPassword\":\"" + PASSWORD + "\"}", "Authorization", "Bearer " + access);
        assertThat(register.status()).isEqualTo(400);
        assertThat(users.findByEmail(dev.portcullis.model.EmailAddress.parse("bearer-new@example.com").orElseThrow())).isEmpty();
    }

    @Test
    void badOrExpiredBearerTokensGet401WithInvalidTokenChallenge() {
        String access = field(issue(newAccount(), PASSWORD).body(), "access_token");
        for (String bad : List.of("garbage", access.substring(0, access.length() - 2) + "xx", "pcl_" + "A".repeat(43))) {
            Browser.Response r = call("GET", "/app/api/me", "", "Authorization", "Bearer " + bad);
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer").contains("error=\"invalid_token\"");
            assertThat(r.body()).doesNotContain("API-SECRET");
        }
        clock.advance(Duration.ofMinutes(11));
        Browser.Response expired = call("GET", "/app/api/me", "", "Authorization", "Bearer " + access);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.header("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }

    @Test
    void refreshRotatesAndReuseRevokesTheFamily() {
        String first = field(issue(newAccount(), PASSWORD).body(), "refresh_token");
        Browser.Response refreshed = call("POST", "/app/api/tokens/refresh", "{\"refresh_token\":\"" + first + "\"}");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        String second = field(refreshed.body(), "refresh_token");
        assertThat(second).isNotEqualTo(first);
        assertThat(call("GET", "/app/api/me", "", "Authorization", "Bearer " + field(refreshed.body(), "access_token")).status())
                .isEqualTo(200);

        Browser.Response reused = call("POST", "/app/api/tokens/refresh", "{\"refresh_token\":\"" + first + "\"}");
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body()).contains("\"error\":\"invalid_grant\"").contains("\"fields\":{}");
        assertThat(call("POST", "/app/api/tokens/refresh", "{\"refresh_token\":\"" + second + "\"}").status())
                .as("the whole family died").isEqualTo(400);
        assertThat(call("POST", "/app/api/tokens/refresh", "{}").body()).contains("\"error\":\"invalid_request\"");
    }

    @Test
    void deleteRevokesTheRefreshTokenFamily() {
        String refresh = field(issue(newAccount(), PASSWORD).body(), "refresh_token");
        Browser.Response revoked = call("DELETE", "/app/api/tokens", "{\"refresh_token\":\"" + refresh + "\"}");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).contains("\"status\":\"revoked\"");
        assertThat(call("POST", "/app/api/tokens/refresh", "{\"refresh_token\":\"" + refresh + "\"}").status()).isEqualTo(400);
        assertThat(call("DELETE", "/app/api/tokens", "{\"refresh_token\":\"" + "Z".repeat(43) + "\"}").status())
                .as("unknown tokens get the same answer").isEqualTo(200);
    }

    @Test
    void wrongPasswordAndUnknownEmailAreIndistinguishableAndThrottled() {
        String email = newAccount();
        Browser.Response wrong = issue(email, "not-the-password-123");
        Browser.Response unknown = issue("nobody-" + email, "not-the-password-123");
        assertThat(wrong.status()).isEqualTo(unknown.status()).isEqualTo(401);
        // The one error shape and the one invalid-credentials sentence of every endpoint (form login says the same).
        assertThat(wrong.body()).isEqualTo(unknown.body())
                .isEqualTo("{\"error\":\"invalid_credentials\",\"message\":\"Incorrect email or password.\",\"fields\":{}}");
        Browser.Response last = wrong;
        for (int i = 0; i < 10 && last.status() != 429; i++) {
            last = issue(email, "still-wrong-" + i + "-123456");
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("Retry-After").orElseThrow()).matches("[1-9][0-9]*");
        assertThat(last.body()).contains("\"error\":\"throttled\"").contains("\"message\":\"Too many attempts. Try again in ")
                .contains("\"fields\":{}");
        Browser.Response invalid = issue("not-an-email", "x");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"error\":\"invalid_request\"").contains("\"fields\":{\"email\":[");
    }

    @Test
    void tokenEndpointsAreCsrfExemptOnlyForJsonBodiesAndStillCheckOrigin() {
        String email = newAccount();
        Browser script = new Browser(port);
        Browser.Response form = script.postForm("/app/api/tokens", Map.of("email", email, "password", PASSWORD));
        assertThat(form.status()).as("a form post is refused before any CSRF exemption: JSON only").isEqualTo(415);
        Browser.Response plain = script.send("POST", "/app/api/tokens", "text/plain", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(plain.status()).isEqualTo(415);
        Browser.Response foreign = call("POST", "/app/api/tokens", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
                "Origin", "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(call("POST", "/app/api/tokens", "[1]").status()).isEqualTo(400);
        assertThat(call("GET", "/app/api/tokens", "").status()).isEqualTo(405);
    }

    @Test
    void aBodyNamingAMemberTwiceIsRefusedWith400() {
        String email = newAccount();
        Browser.Response r = call("POST", "/app/api/tokens", "{\"email\":\"" + email + "\",\"password\":\"wrong-wrong-wrong\","
                + "\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"").doesNotContain("access_token");
    }

    @Test
    void apiKeysWorkAsBearerTokens() {
        String email = newAccount();
        var user = users.findByEmail(dev.portcullis.model.EmailAddress.parse(email).orElseThrow()).orElseThrow();
        ApiKeyResult.Created created = (ApiKeyResult.Created) portcullis.apiKeys().create(user.id(), "ci", Set.of("read"), Duration.ofDays(30));
        Browser.Response r = call("GET", "/app/api/me", "", "Authorization", "Bearer " + created.secret());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains(email);
        assertThat(new TokenBearerAuthenticator(tokens).requiringApiKeyScope("write").authenticate(created.secret())).isEmpty();
        assertThat(new TokenBearerAuthenticator(tokens).requiringApiKeyScope("read").authenticate(created.secret())).isPresent();
    }

    @Test
    void jwksPublishesThePublicKeyOnly() {
        Browser.Response r = new Browser(port).get("/app/.well-known/jwks.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type").orElseThrow()).startsWith("application/jwk-set+json");
        assertThat(r.body()).contains("\"keys\"").contains("\"kid\":\"" + key.keyId() + "\"").doesNotContain("\"d\"");
    }
}
