package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.Portcullis;
import dev.portcullis.account.Registration;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two-factor sign-in over real HTTP (Jetty): enrolment through the JSON endpoints, then a password
 * sign-in that stops at the code step and is completed by a code, a recovery code, and never by a
 * replayed code. The test computes codes from the secret with its own RFC 6238 implementation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecondFactorJettyTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final JettyContainer jetty = new JettyContainer();
    Portcullis portcullis;
    Portcullis staffMustEnrol;
    int port;

    @BeforeAll
    void start() throws Exception {
        portcullis = Portcullis.builder()
                .stores(InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
                .secondFactorKey(new byte[32])
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .serviceName("Portcullis Test")
                .clock(clock)
                .build();
        staffMustEnrol = Portcullis.builder()
                .stores(InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
                .secondFactorKey(new byte[32])
                .secondFactorPolicy(dev.portcullis.policy.SecondFactorPolicy.builder()
                        .requiredForRoles(java.util.Set.of("staff")).build())
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .clock(clock)
                .build();
        port = jetty.start(List.of(TestApp.deployment("/app", portcullis, TestApp.config().build()),
                TestApp.deployment("/pages", portcullis, TestApp.config().defaultPagesAt("/auth").build()),
                TestApp.deployment("/req", staffMustEnrol, TestApp.config().build())));
    }

    @AfterAll
    void stop() throws Exception {
        jetty.stop();
    }

    private Browser signedUp(String email) {
        portcullis.accounts().register(new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "t");
        Browser b = new Browser(port);
        String token = b.csrfFrom("/app/login");
        assertThat(b.postForm("/app/auth/login", Map.of("email", email, "password", PASSWORD, "csrf_token", token)).status())
                .isEqualTo(303);
        return b;
    }

    /** Enrols through the endpoints and returns the secret and the recovery codes. */
    private Enrolled enrol(Browser b) throws Exception {
        String token = b.csrfFrom("/app/login");
        Browser.Response started = b.postJson("/app/auth/mfa/totp", "{}", "X-CSRF-Token", token);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("otpauth://totp/");
        String secret = field(started.body(), "secret");
        Browser.Response wrong = b.postJson("/app/auth/mfa/totp/confirm", "{\"code\":\"000000\"}", "X-CSRF-Token", token);
        assertThat(wrong.status()).isEqualTo(401);
        Browser.Response confirmed = b.postJson("/app/auth/mfa/totp/confirm", "{\"code\":\"" + totp(secret, 0) + "\"}",
                "X-CSRF-Token", token);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        Matcher codes = Pattern.compile("\"([A-Za-z0-9]{5}-[A-Za-z0-9]{5})\"").matcher(confirmed.body());
        List<String> recovery = new java.util.ArrayList<>();
        while (codes.find()) {
            recovery.add(codes.group(1));
        }
        assertThat(recovery).hasSize(10);
        return new Enrolled(secret, recovery);
    }

    record Enrolled(String secret, List<String> recoveryCodes) {
    }

    private Browser.Response passwordStep(Browser b, String email) {
        String token = b.csrfFrom("/app/login");
        return b.postForm("/app/auth/login", Map.of("email", email, "password", PASSWORD, "csrf_token", token,
                "next", "/account/settings"));
    }

    private Browser.Response codeStep(Browser b, String code) {
        String token = b.csrfFrom("/app/login");
        return b.postForm("/app/auth/login/mfa", Map.of("code", code, "csrf_token", token, "next", "/account/settings"));
    }

    @Test
    void anEnrolledAccountsPasswordLeadsToTheCodeStepAndACodeCompletesTheSignIn() throws Exception {
        String email = "two-step@example.com";
        Enrolled enrolled = enrol(signedUp(email));
        clock.advance(java.time.Duration.ofSeconds(60)); // a fresh step: the enrolment code counts as used

        Browser b = new Browser(port);
        Browser.Response password = passwordStep(b, email);
        assertThat(password.status()).isEqualTo(303);
        assertThat(password.location()).isEqualTo("/app/login?second-factor&next=%2Faccount%2Fsettings");
        assertThat(password.setCookie("portcullis_session")).as("no session before the code").isEmpty();
        assertThat(password.setCookie("portcullis_pending").orElseThrow()).contains("HttpOnly").contains("Max-Age=300");
        assertThat(b.get("/app/account/settings").status()).as("still anonymous").isEqualTo(302);

        Browser.Response wrong = codeStep(b, "123456");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("error=invalid_code");

        String code = totp(enrolled.secret(), 0);
        Browser.Response done = codeStep(b, code);
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.location()).isEqualTo("/app/account/settings");
        assertThat(b.get("/app/whoami").body()).contains("remoteUser=" + email);

        // The same code again, in a new sign-in: refused (RFC 6238 section 5.2).
        Browser other = new Browser(port);
        passwordStep(other, email);
        Browser.Response replay = codeStep(other, code);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(other.get("/app/whoami").body()).contains("remoteUser=null");
    }

    @Test
    void aRecoveryCodeCompletesTheSignInOnceAndTheJsonStepSpeaksJson() throws Exception {
        String email = "recovery@example.com";
        Enrolled enrolled = enrol(signedUp(email));
        String recovery = enrolled.recoveryCodes().get(3).toUpperCase().replace("-", " ");

        Browser b = new Browser(port);
        String token = b.csrfFrom("/app/login");
        Browser.Response json = b.postJson("/app/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
                "X-CSRF-Token", token);
        assertThat(json.status()).isEqualTo(401);
        assertThat(json.body()).contains("\"error\":\"mfa_required\"");
        Browser.Response done = b.postJson("/app/auth/login/mfa", "{\"code\":\"" + recovery + "\"}", "X-CSRF-Token", token);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("\"status\":\"logged_in\"");

        Browser again = new Browser(port);
        passwordStep(again, email);
        assertThat(codeStep(again, recovery).status()).as("a recovery code works once").isEqualTo(401);
    }

    @Test
    void withoutThePendingCookieOrWithGarbageTheCodeStepAnswersClearly() {
        Browser b = new Browser(port);
        Browser.Response none = codeStep(b, "123456");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body()).contains("error=sign_in_expired");
        b.cookies.put("portcullis_pending", "x".repeat(5000));
        for (String code : List.of("", "12345\u0663", "abcdef", "9".repeat(10_000))) {
            Browser.Response r = codeStep(b, code);
            assertThat(r.status()).as(code.length() + " chars").isBetween(400, 499);
            assertThat(r.body()).doesNotContain("Exception");
        }
        Browser.Response anonymous = b.postJson("/app/auth/mfa/totp", "{}", "X-CSRF-Token", b.csrfFrom("/app/login"));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void reauthenticationTakesThePasswordAndTheCodeAndRefusesAReplayedCode() throws Exception {
        String email = "step-up@example.com";
        Browser b = signedUp(email);
        Enrolled enrolled = enrol(b);
        dev.portcullis.model.SessionToken session = dev.portcullis.model.SessionToken.parse(b.cookies.get("portcullis_session"))
                .orElseThrow();
        assertThat(portcullis.sessions().recentlyAuthenticated(session)).as("enrolment proved both").isTrue();
        clock.advance(java.time.Duration.ofMinutes(11)); // past the default step-up window of 10 minutes
        assertThat(portcullis.sessions().recentlyAuthenticated(session)).isFalse();
        String token = b.csrfFrom("/app/login");

        Browser.Response empty = b.postJson("/app/auth/reauthenticate", "{}", "X-CSRF-Token", token);
        assertThat(empty.status()).as(empty.body()).isEqualTo(422);
        assertThat(empty.body()).contains("\"error\":\"invalid_input\"");
        Browser.Response wrongPassword = b.postJson("/app/auth/reauthenticate", "{\"password\":\"not the password\"}",
                "X-CSRF-Token", token);
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.body()).contains("\"error\":\"invalid_credentials\"");

        Browser.Response passwordOnly = b.postJson("/app/auth/reauthenticate", "{\"password\":\"" + PASSWORD + "\"}",
                "X-CSRF-Token", token);
        assertThat(passwordOnly.status()).isEqualTo(401);
        assertThat(passwordOnly.body()).contains("\"error\":\"reauthentication_incomplete\"");
        assertThat(portcullis.sessions().recentlyAuthenticated(session)).isFalse();

        Browser.Response unicode = b.postJson("/app/auth/reauthenticate", "{\"code\":\"\u0661\u0662\u0663\u0664\u0665\u0666\"}",
                "X-CSRF-Token", token);
        assertThat(unicode.status()).as(unicode.body()).isEqualTo(422);

        String code = totp(enrolled.secret(), 0);
        Browser.Response withCode = b.postJson("/app/auth/reauthenticate", "{\"code\":\"" + code + "\"}", "X-CSRF-Token", token);
        assertThat(withCode.status()).as(withCode.body()).isEqualTo(200);
        assertThat(withCode.body()).contains("\"status\":\"reauthenticated\"");
        assertThat(portcullis.sessions().recentlyAuthenticated(session)).isTrue();

        Browser.Response replay = b.postJson("/app/auth/reauthenticate", "{\"code\":\"" + code + "\"}", "X-CSRF-Token", token);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body()).contains("\"error\":\"invalid_code\"");

        Browser anonymous = new Browser(port);
        Browser.Response nobody = anonymous.postJson("/app/auth/reauthenticate", "{\"password\":\"" + PASSWORD + "\"}",
                "X-CSRF-Token", anonymous.csrfFrom("/app/login"));
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(nobody.body()).contains("\"error\":\"unauthenticated\"");
    }

    @Test
    void theDefaultLoginPageAsksForTheCodeAndShowsAWrongOneAgain() throws Exception {
        String email = "default-pages@example.com";
        Enrolled enrolled = enrol(signedUp(email));
        clock.advance(java.time.Duration.ofSeconds(60));

        Browser b = new Browser(port);
        Browser.Response password = b.postForm("/pages/auth/login", Map.of("email", email, "password", PASSWORD,
                "csrf_token", b.csrfFrom("/pages/auth/login"), "next", "/account/x"));
        assertThat(password.status()).isEqualTo(303);
        assertThat(password.location()).isEqualTo("/pages/auth/login?second-factor&next=%2Faccount%2Fx");
        Browser.Response page = b.get(password.location());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/pages/auth/login/mfa\"", "name=\"code\"",
                "name=\"next\" value=\"/account/x\"").doesNotContain("name=\"password\"");
        String token = b.csrfFrom(password.location());

        for (String bad : List.of("", "12a456", "\u0661\u0662\u0663\u0664\u0665\u0666", "1".repeat(300))) {
            Browser.Response invalid = b.postForm("/pages/auth/login/mfa", Map.of("code", bad, "csrf_token", token,
                    "next", "/account/x"));
            assertThat(invalid.status()).as("'" + bad + "'").isEqualTo(422);
            assertThat(invalid.body()).contains("name=\"code\"", "id=\"code-error\"");
        }
        Browser.Response wrong = b.postForm("/pages/auth/login/mfa", Map.of("code", "000000", "csrf_token", token,
                "next", "/account/x"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("name=\"code\"", ResultResponses.CODE_REFUSED);

        Browser.Response done = b.postForm("/pages/auth/login/mfa", Map.of("code", totp(enrolled.secret(), 0),
                "csrf_token", token, "next", "/account/x"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.location()).isEqualTo("/pages/account/x");

        Browser stranger = new Browser(port); // no pending sign-in: back to the password form
        Browser.Response expired = stranger.postForm("/pages/auth/login/mfa", Map.of("code", "123456",
                "csrf_token", stranger.csrfFrom("/pages/auth/login?second-factor")));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).contains("name=\"password\"", ResultResponses.SIGN_IN_EXPIRED).doesNotContain("name=\"code\"");
    }

    @Test
    void aRoleThatRequiresAFactorEnrolsThroughTheJsonEndpointsAndIsThenSignedIn() throws Exception {
        String email = "staff@example.com";
        var registered = (dev.portcullis.account.RegistrationResult.Registered) staffMustEnrol.accounts()
                .register(new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "t");
        staffMustEnrol.accounts().setRoles(registered.user().id(), java.util.Set.of("staff"));
        Browser b = new Browser(port);
        String token = b.csrfFrom("/req/login");
        assertThat(b.postJson("/req/auth/login/enrol", "{}", "X-CSRF-Token", token).status())
                .as("no pending sign-in yet").isEqualTo(401);

        Browser.Response password = b.postJson("/req/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", "X-CSRF-Token", token);
        assertThat(password.status()).isEqualTo(403);
        assertThat(password.body()).contains("mfa_enrolment_required");
        assertThat(password.setCookie("portcullis_session")).isEmpty();
        assertThat(password.setCookie("portcullis_pending").orElseThrow()).contains("HttpOnly");

        Browser.Response started = b.postJson("/req/auth/login/enrol", "{}", "X-CSRF-Token", token);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        String secret = field(started.body(), "secret");
        assertThat(b.postForm("/req/auth/login/enrol/confirm", Map.of("code", totp(secret, 0), "csrf_token", token))
                .status()).as("a form would lose the recovery codes").isEqualTo(415);
        assertThat(b.postJson("/req/auth/login/enrol/confirm", "{\"code\":\"12a456\"}", "X-CSRF-Token", token).status())
                .isEqualTo(422);
        assertThat(b.get("/req/whoami").body()).contains("remoteUser=null");

        Browser.Response done = b.postJson("/req/auth/login/enrol/confirm", "{\"code\":\"" + totp(secret, 0) + "\"}",
                "X-CSRF-Token", token);

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("\"status\":\"enrolled\"", "\"recoveryCodes\":[", email);
        assertThat(done.setCookie("portcullis_session")).isPresent();
        assertThat(b.get("/req/whoami").body()).contains("remoteUser=" + email);
        Browser.Response spent = b.postJson("/req/auth/login/enrol/confirm", "{\"code\":\"" + totp(secret, 0) + "\"}",
                "X-CSRF-Token", field(done.body(), "csrfToken"));
        assertThat(spent.status()).as("the handle is spent").isEqualTo(401);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    /** RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) at the test clock, {@code steps} away. */
    private String totp(String base32Secret, int steps) throws Exception {
        long counter = clock.instant().getEpochSecond() / 30 + steps;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
        byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
        int o = h[h.length - 1] & 0x0f;
        int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
        return String.format("%06d", bin % 1_000_000);
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char ch : text.replace("=", "").toUpperCase().toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(ch);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
