package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationMode;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.UserId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app's two-factor pages over real HTTP: enrolment, the code step, the enrolment the policy
 * requires, step-up, and every kind of bad input (a form error or a 4xx, never a 500). The client
 * comes through a trusted proxy with an address of its own per run, so throttle counters of other
 * runs never count here.
 */
class WebAppTwoFactorHttpTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");
    private static final Pattern RECOVERY = Pattern.compile("<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;
    String clientAddress;

    @BeforeEach
    void start() throws Exception {
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1",
                "PORTCULLIS_MFA_REQUIRED_ROLES", "admin"));
        clientAddress = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    Http browser() {
        Http http = new Http(app);
        http.headers.put("X-Forwarded-For", clientAddress);
        return http;
    }

    static String email() {
        return "mfa-" + UUID.randomUUID() + "@example.com";
    }

    UserId account(String email) {
        RegistrationResult r = app.app.portcullis().accounts().register(new Registration(email, RawPassword.of(PASSWORD),
                RawPassword.of(PASSWORD)), clientAddress);
        return ((RegistrationResult.Registered) r).user().id();
    }

    HttpResponse<String> password(Http http, String email, String next) throws Exception {
        return http.submit("/login", "/login", Map.of("email", email, "password", PASSWORD, "next", next));
    }

    HttpResponse<String> code(Http http, String code) throws Exception {
        return http.submit("/login", "/login/mfa", Map.of("code", code, "next", "/profile"));
    }

    record Enrolled(String secret, List<String> recoveryCodes) {
    }

    /** A signed-in browser of a new account with an authenticator app; the clock then moves to the next step. */
    Enrolled enrolled(Http http, String email) throws Exception {
        account(email);
        assertThat(password(http, email, "/").statusCode()).isEqualTo(303);
        Enrolled e = enrol(http, "/mfa/totp");
        app.clock.advance(Duration.ofSeconds(30)); // the enrolment's code counts as used
        return e;
    }

    Enrolled enrol(Http http, String page) throws Exception {
        HttpResponse<String> setup = http.get(page);
        assertThat(setup.statusCode()).as(setup.body()).isEqualTo(200);
        Matcher m = SECRET.matcher(setup.body());
        assertThat(m.find()).as(setup.body()).isTrue();
        String secret = m.group(1);
        HttpResponse<String> confirmed = http.post(page, Map.of("code", TestTotp.code(secret, app.clock.instant()),
                "csrf_token", Http.csrfFrom(setup.body())));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        return new Enrolled(secret, recoveryCodes(confirmed.body()));
    }

    static List<String> recoveryCodes(String html) {
        assertThat(html).contains("<ol id=\"recovery-codes\"");
        Matcher m = RECOVERY.matcher(html);
        List<String> codes = new ArrayList<>();
        while (m.find()) {
            codes.add(m.group(1));
        }
        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        return codes;
    }

    @Test
    void testTotpMatchesRfc6238AppendixB() {
        // RFC 6238 Appendix B, SHA-1, the secret "12345678901234567890"; 6 digits are the last 6 of 8.
        String secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assertThat(TestTotp.code(secret, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(TestTotp.code(secret, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        assertThat(TestTotp.code(secret, Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
    }

    @Test
    void enrolmentPageDrawsTheQrCodeInlineAndRefusesBadCodesWithFormErrors() throws Exception {
        Http http = browser();
        String email = email();
        account(email);
        password(http, email, "/");
        HttpResponse<String> setup = http.get("/mfa/totp");
        assertThat(setup.statusCode()).isEqualTo(200);
        assertThat(setup.body()).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"totp-qr\"", "<path d=\"M",
                "id=\"totp-uri\">otpauth://totp/Portcullis:" + email.replace("@", "%40") + "?secret&#61;")
                .doesNotContain("data:", "style=", "<img");
        assertThat(setup.headers().firstValue("Cache-Control")).contains("no-store");
        String csrf = Http.csrfFrom(setup.body());
        for (String bad : List.of("", "12a456", "\u0661\u0662\u0663\u0664\u0665\u0666", "1".repeat(65), "9".repeat(30_000))) {
            HttpResponse<String> r = http.post("/mfa/totp", Map.of("code", bad, "csrf_token", csrf));
            assertThat(r.statusCode()).as("'" + bad.substring(0, Math.min(bad.length(), 8)) + "'").isEqualTo(422);
            assertThat(r.body()).contains("id=\"code-error\"").doesNotContain("Exception");
        }
        HttpResponse<String> wrong = http.post("/mfa/totp", Map.of("code", "000000", "csrf_token", csrf));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("id=\"form-error\"", "That code is not right", "id=\"totp-restart\"")
                .doesNotContain("id=\"totp-secret\"");
        assertThat(http.get("/mfa").body()).contains("<span class=\"tag\">off</span>");

        Enrolled enrolled = enrol(http, "/mfa/totp");
        HttpResponse<String> factors = http.get("/mfa");
        assertThat(factors.body()).contains("<span class=\"tag\">on</span>", "id=\"recovery-codes-left\">10<",
                "id=\"factor-totp\"", "id=\"factor-recovery-codes\"");
        assertThat(http.get("/mfa/totp").headers().firstValue("Location").orElseThrow()).as("enrolled: no second setup").contains("/mfa");
        assertThat(enrolled.recoveryCodes()).allSatisfy(c -> assertThat(factors.body()).doesNotContain(c));
    }

    @Test
    void badCodesAtTheCodeStepAreFormErrorsAndAnotherAccountsCodeIsWrong() throws Exception {
        String email = email();
        Enrolled mine = enrolled(browser(), email);
        Enrolled theirs = enrolled(browser(), email());

        Http http = browser();
        HttpResponse<String> step = password(http, email, "/profile");
        assertThat(step.statusCode()).isEqualTo(303);
        assertThat(step.headers().firstValue("Location").orElseThrow()).contains("/login/mfa?next=%2Fprofile");
        assertThat(http.cookies).containsKey("portcullis_pending").doesNotContainKey("portcullis_session");
        assertThat(http.get("/login/mfa?next=%2Fprofile").body()).contains("name=\"code\"").doesNotContain("name=\"password\"");

        for (String bad : List.of("", "   ", "12a456", "\u0661\u0662\u0663\u0664\u0665\u0666", "1".repeat(65),
                "9".repeat(30_000), "abcde-fghij-klmno")) {
            HttpResponse<String> r = code(http, bad);
            assertThat(r.statusCode()).as("'" + bad.substring(0, Math.min(bad.length(), 8)) + "'").isEqualTo(422);
            assertThat(r.body()).contains("id=\"code-error\"", "name=\"code\"").doesNotContain("Exception");
        }
        HttpResponse<String> other = code(http, TestTotp.code(theirs.secret(), app.clock.instant()));
        assertThat(other.statusCode()).as("another account's code").isEqualTo(401);
        assertThat(other.body()).contains("id=\"form-error\"", "That code is not right");
        HttpResponse<String> otherRecovery = code(http, theirs.recoveryCodes().get(0));
        assertThat(otherRecovery.statusCode()).as("another account's recovery code").isEqualTo(401);
        assertThat(http.get("/profile").statusCode()).as("still not signed in").isEqualTo(302);

        HttpResponse<String> done = code(http, " " + TestTotp.code(mine.secret(), app.clock.instant()).replaceAll("(...)", "$1 "));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location").orElseThrow()).contains("/profile");
        assertThat(http.cookies).containsKey("portcullis_session").doesNotContainKey("portcullis_pending");
        assertThat(http.get("/profile").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAPendingSignInTheCodeStepShowsThePasswordFormAgain() throws Exception {
        Http http = browser();
        HttpResponse<String> none = code(http, "123456");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("name=\"password\"", "Your sign-in has expired");
        http.cookies.put("portcullis_pending", "garbage");
        assertThat(http.get("/login/mfa").statusCode()).isEqualTo(401);
        http.cookies.put("portcullis_pending", "A".repeat(43));
        HttpResponse<String> unknown = code(http, "123456");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("name=\"password\"");
        assertThat(http.cookies).doesNotContainKey("portcullis_pending");
        assertThat(http.get("/login/enrol").statusCode()).isEqualTo(401);
    }

    @Test
    void throttledCodesAnswer429WithRetryAfterWhileThePasswordStepStillLeadsToTheCodeStep() throws Exception {
        String email = email();
        enrolled(browser(), email);
        Http http = browser();
        password(http, email, "/");
        HttpResponse<String> last = null;
        for (int i = 0; i < 12 && (last == null || last.statusCode() != 429); i++) {
            last = code(http, "000000");
            if (last.statusCode() == 401 && last.body().contains("name=\"password\"")) {
                password(http, email, "/"); // this handle had its 5 codes: a new one
            }
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(last.body()).contains("Too many attempts", "name=\"code\"");
        HttpResponse<String> passwordAgain = password(browser(), email, "/");
        assertThat(passwordAgain.statusCode()).as("the password step is not locked by the code throttle").isEqualTo(303);
        assertThat(passwordAgain.headers().firstValue("Location").orElseThrow()).contains("/login/mfa");
    }

    @Test
    void aRoleThatRequiresASecondFactorIsWalkedThroughEnrolmentRightAfterThePassword() throws Exception {
        String email = email();
        UserId id = account(email);
        app.app.portcullis().accounts().setRoles(id, Set.of("admin"));
        Http http = browser();
        HttpResponse<String> step = http.submit("/login", "/login", Map.of("email", email, "password", PASSWORD,
                "next", "/profile", "remember_me", "1"));
        assertThat(step.statusCode()).isEqualTo(303);
        assertThat(step.headers().firstValue("Location").orElseThrow()).contains("/login/enrol?next=%2Fprofile&remember_me=1");
        assertThat(http.get("/profile").statusCode()).as("no session before enrolment").isEqualTo(302);

        HttpResponse<String> page = http.get("/login/enrol?next=%2Fprofile&remember_me=1");
        assertThat(page.body()).contains("Your account needs two-factor sign-in", "id=\"totp-qr\"");
        HttpResponse<String> bad = http.post("/login/enrol", Map.of("code", "x", "csrf_token", Http.csrfFrom(page.body())));
        assertThat(bad.statusCode()).isEqualTo(422);
        Enrolled enrolled = enrol(http, "/login/enrol?next=%2Fprofile&remember_me=1");
        assertThat(enrolled.recoveryCodes()).hasSize(10);
        assertThat(http.cookies).containsKey("portcullis_session").doesNotContainKey("portcullis_pending");
        assertThat(http.get("/profile").statusCode()).isEqualTo(200);

        HttpResponse<String> remove = http.submit("/mfa", "/mfa/totp/remove", Map.of());
        assertThat(remove.statusCode()).as("the policy keeps the factor").isEqualTo(409);
        assertThat(remove.body()).contains("must keep two-factor sign-in");
    }

    @Test
    void changesToFactorsNeedARecentSignInAndNewRecoveryCodesVoidTheOldOnes() throws Exception {
        String email = email();
        Http http = browser();
        Enrolled enrolled = enrolled(http, email);
        app.clock.advance(Duration.ofMinutes(11)); // past the step-up window

        HttpResponse<String> regenerate = http.submit("/mfa", "/mfa/recovery-codes", Map.of());
        assertThat(regenerate.statusCode()).isEqualTo(303);
        assertThat(regenerate.headers().firstValue("Location").orElseThrow()).contains("/reauth?next=%2Fmfa");
        HttpResponse<String> form = http.get("/reauth?next=%2Fmfa");
        assertThat(form.body()).contains("name=\"password\"", "name=\"code\"", "name=\"next\" value=\"/mfa\"");
        String csrf = Http.csrfFrom(form.body());
        HttpResponse<String> wrongPassword = http.post("/reauth", Map.of("password", "not it at all, no", "code",
                TestTotp.code(enrolled.secret(), app.clock.instant()), "next", "/mfa", "csrf_token", csrf));
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body()).contains("Incorrect password.");
        HttpResponse<String> noCode = http.post("/reauth", Map.of("password", PASSWORD, "next", "/mfa", "csrf_token", csrf));
        assertThat(noCode.statusCode()).isEqualTo(422);
        assertThat(noCode.body()).contains("id=\"code-error\"");
        HttpResponse<String> evil = http.post("/reauth", Map.of("password", PASSWORD, "code",
                TestTotp.code(enrolled.secret(), app.clock.instant()), "next", "https://evil.example/", "csrf_token", csrf));
        assertThat(evil.statusCode()).isEqualTo(303);
        assertThat(evil.headers().firstValue("Location").orElseThrow()).as("next is only ever a path of this app").contains("/profile");

        HttpResponse<String> renewed = http.submit("/mfa", "/mfa/recovery-codes", Map.of());
        assertThat(renewed.statusCode()).isEqualTo(200);
        List<String> fresh = recoveryCodes(renewed.body());
        assertThat(fresh).doesNotContainAnyElementsOf(enrolled.recoveryCodes());

        Http other = browser();
        password(other, email, "/");
        assertThat(code(other, enrolled.recoveryCodes().get(0)).statusCode()).as("the old set is void").isEqualTo(401);
        assertThat(code(other, fresh.get(0)).statusCode()).isEqualTo(303);

        HttpResponse<String> removed = http.submit("/mfa", "/mfa/totp/remove", Map.of());
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(http.get("/mfa").body()).contains("<span class=\"tag\">off</span>");
        HttpResponse<String> plain = password(browser(), email, "/");
        assertThat(plain.headers().firstValue("Location").orElseThrow()).as("no code step any more").doesNotContain("/login/mfa");
    }
}
