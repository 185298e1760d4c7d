package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every route's error paths over real HTTP: clear 4xx or a re-rendered form, never a 500. */
class WebAppHttpTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String NEW_PASSWORD = "quiet orange bicycle harbour";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;
    Http http;

    @BeforeEach
    void start() throws Exception {
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE);
        http = new Http(app);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HttpResponse<String> register(Http client, String email, String password, String confirm) throws Exception {
        return client.submit("/register", "/register", Map.of("email", email, "password", password, "confirm_password", confirm));
    }

    HttpResponse<String> login(Http client, String email, String password) throws Exception {
        return client.submit("/login", "/login", Map.of("email", email, "password", password));
    }

    @Test
    void registerLogsInAndRedirectsHomeWithAWelcome() throws Exception {
        HttpResponse<String> response = register(http, "ada@example.com", PASSWORD, PASSWORD);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/");
        HttpResponse<String> home = http.get("/");
        assertThat(home.body()).contains("Hello, <span id=\"who\">ada@example.com</span>", "Welcome! Your account is ready");
    }

    @Test
    void emptyRegistrationIsRerenderedWithFieldMessages() throws Exception {
        HttpResponse<String> response = register(http, "", "", "");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("Enter your email address.", "Use at least 15 characters.");
    }

    @Test
    void malformedEmailKeepsWhatWasTypedEscaped() throws Exception {
        HttpResponse<String> response = register(http, "<script>alert(1)</script>", PASSWORD, PASSWORD);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("Enter a valid email address").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)</script>");
    }

    @Test
    void mismatchedConfirmationAndDuplicateEmailAreFieldErrors() throws Exception {
        assertThat(register(http, "bob@example.com", PASSWORD, PASSWORD + "x").body()).contains("The passwords do not match.");
        register(http, "bob@example.com", PASSWORD, PASSWORD);
        Http other = new Http(app);
        HttpResponse<String> duplicate = register(other, "BOB@example.com", PASSWORD, PASSWORD);
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("An account with this email address already exists.", "value=\"BOB@example.com\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR '1'='1", "admin'--@example.com", "\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9@example.com", "a\u0000b@example.com"})
    void oddInputIsAnsweredWithoutServerErrors(String email) throws Exception {
        int register = register(http, email, PASSWORD, PASSWORD).statusCode();
        int login = login(new Http(app), email, "' OR '1'='1' -- long enough").statusCode();
        assertThat(register).isIn(303, 409, 422);
        assertThat(login).isIn(401, 422);
    }

    @Test
    void tenThousandCharacterPasswordIsRefusedClearly() throws Exception {
        String huge = "x".repeat(10_000);
        HttpResponse<String> registration = register(http, "long@example.com", huge, huge);
        assertThat(registration.statusCode()).isEqualTo(422);
        assertThat(registration.body()).contains("Use at most 1024 characters.");
        assertThat(login(http, "long@example.com", huge).statusCode()).isEqualTo(401);
    }

    @Test
    void loginFailureMessageIsTheSameForUnknownEmailAndWrongPassword() throws Exception {
        register(new Http(app), "carol@example.com", PASSWORD, PASSWORD);
        HttpResponse<String> wrong = login(http, "carol@example.com", "wrong password entirely");
        HttpResponse<String> unknown = login(http, "nobody@example.com", "wrong password entirely");
        assertThat(wrong.statusCode()).isEqualTo(401).isEqualTo(unknown.statusCode());
        assertThat(wrong.body()).contains("Incorrect email or password.");
        assertThat(unknown.body()).contains("Incorrect email or password.");
    }

    @Test
    void aSuccessfulLoginGivesTheBrowserAnHttpOnlyDeviceCookie() throws Exception {
        register(new Http(app), "dora@example.com", PASSWORD, PASSWORD);
        HttpResponse<String> ok = new Http(app).submit("/login", "/login", Map.of("email", "dora@example.com", "password", PASSWORD));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("portcullis_device=").contains("HttpOnly").contains("SameSite=Lax").contains("Max-Age="));
    }

    @Test
    void loginFollowsASafeNextAndIgnoresAnUnsafeOne() throws Exception {
        register(new Http(app), "dan@example.com", PASSWORD, PASSWORD);
        HttpResponse<String> safe = http.submit("/login", "/login", Map.of("email", "dan@example.com", "password", PASSWORD, "next", "/profile"));
        assertThat(safe.headers().firstValue("Location")).contains("/profile");
        Http other = new Http(app);
        HttpResponse<String> unsafe = other.submit("/login", "/login", Map.of("email", "dan@example.com", "password", PASSWORD, "next", "//evil.example"));
        assertThat(unsafe.headers().firstValue("Location")).contains("/");
    }

    @Test
    void protectedPagesRedirectAnonymousVisitorsToLoginWithNext() throws Exception {
        HttpResponse<String> response = http.get("/profile");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/login?next=").contains("profile");
        assertThat(http.get("/password").statusCode()).isEqualTo(302);
        assertThat(http.get("/email").statusCode()).isEqualTo(302);
    }

    @Test
    void postsWithoutCsrfTokenAreRejected() throws Exception {
        http.get("/login");
        HttpResponse<String> response = http.post("/login", Map.of("email", "x@example.com", "password", PASSWORD));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(http.post("/register", Map.of("email", "x@example.com")).statusCode()).isEqualTo(403);
        assertThat(http.post("/logout", Map.of()).statusCode()).isEqualTo(403);
    }

    @Test
    void everyPageCarriesSecurityHeaders() throws Exception {
        for (String path : new String[] {"/", "/login", "/register", "/forgot-password", "/nope", "/static/app.css"}) {
            HttpResponse<String> response = http.get(path);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).contains(SecurityHeadersFilter.CSP);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).contains("same-origin");
        }
        assertThat(http.get("/nope").statusCode()).isEqualTo(404);
        assertThat(http.get("/static/app.css").body()).contains("--brand");
    }

    @Test
    void logoutEndsTheSessionAndGetOnlyShowsAConfirmForm() throws Exception {
        register(http, "erin@example.com", PASSWORD, PASSWORD);
        Map<String, String> sessionCookies = Map.copyOf(http.cookies);
        HttpResponse<String> confirm = http.get("/logout");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(http.get("/profile").statusCode()).as("a GET does not log out").isEqualTo(200);

        HttpResponse<String> out = http.submit("/", "/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(http.get("/").body()).contains("You are logged out.");

        Http replay = new Http(app);
        replay.cookies.putAll(sessionCookies);
        assertThat(replay.get("/profile").statusCode()).as("the old cookie is dead").isEqualTo(302);
    }

    @Test
    void passwordChangeErrorsAreFieldMessages() throws Exception {
        register(http, "fay@example.com", PASSWORD, PASSWORD);
        HttpResponse<String> empty = http.submit("/password", "/password", Map.of());
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.body()).contains("Enter your current password.");
        HttpResponse<String> wrong = http.submit("/password", "/password",
                Map.of("current_password", "nope nope nope nope", "new_password", NEW_PASSWORD, "confirm_password", NEW_PASSWORD));
        assertThat(wrong.body()).contains("Your current password is not correct.");
        HttpResponse<String> ok = http.submit("/password", "/password",
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD, "confirm_password", NEW_PASSWORD));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(login(new Http(app), "fay@example.com", PASSWORD).statusCode()).isEqualTo(401);
        assertThat(login(new Http(app), "fay@example.com", NEW_PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void profileShowsEmailCreationTimeAndSessions() throws Exception {
        register(http, "gus@example.com", PASSWORD, PASSWORD);
        Http second = new Http(app);
        login(second, "gus@example.com", PASSWORD);

        String profile = http.get("/profile").body();
        assertThat(profile).contains("gus@example.com", "2026-06-01 10:00 UTC", "this session");
        assertThat(profile.split("<tr><td>", -1)).hasSize(3);

        http.submit("/profile", "/profile/logout-others", Map.of());
        assertThat(second.get("/profile").statusCode()).isEqualTo(302);
        assertThat(http.get("/profile").statusCode()).isEqualTo(200);
    }

    // ---- mail flows (issue 6) -------------------------------------------------------------

    @Test
    void verificationLinkFromTheRealMailVerifiesThroughAPost() throws Exception {
        register(http, "hal@example.com", PASSWORD, PASSWORD);
        assertThat(http.get("/").body()).contains("Please confirm your email address");
        URI link = app.linkIn(app.mailText(1)).orElseThrow();
        assertThat(link.getPath()).isEqualTo("/verify-email");

        HttpResponse<String> page = http.get(link.getPath() + "?" + link.getQuery());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Confirm my address");
        String token = link.getQuery().substring("token=".length());
        HttpResponse<String> confirmed = http.submit("/", "/verify-email", Map.of("token", token));
        assertThat(confirmed.statusCode()).isEqualTo(303);
        assertThat(http.get("/").body()).contains("Your email address is verified.").doesNotContain("Please confirm your email address");

        http.submit("/", "/verify-email", Map.of("token", token));
        assertThat(http.get("/").body()).as("a used token is refused").contains("That link is invalid or has expired.");
    }

    @Test
    void passwordResetThroughTheMailedLinkRevokesTheOldSession() throws Exception {
        register(http, "ivy@example.com", PASSWORD, PASSWORD);
        Http stranger = new Http(app);
        HttpResponse<String> asked = stranger.submit("/forgot-password", "/forgot-password", Map.of("email", "IVY@example.com"));
        assertThat(asked.statusCode()).isEqualTo(303);
        String mail = app.mailText(2);
        assertThat(app.recipient(2)).isEqualTo("ivy@example.com");
        URI link = app.linkIn(mail).orElseThrow();
        String token = link.getQuery().substring("token=".length());

        assertThat(stranger.get(link.getPath() + "?" + link.getQuery()).body()).contains("Choose a new password");
        HttpResponse<String> weak = stranger.submit("/forgot-password", "/reset-password",
                Map.of("token", token, "password", "short", "confirm_password", "short"));
        assertThat(weak.statusCode()).isEqualTo(422);
        HttpResponse<String> reset = stranger.submit("/forgot-password", "/reset-password",
                Map.of("token", token, "password", NEW_PASSWORD, "confirm_password", NEW_PASSWORD));
        assertThat(reset.statusCode()).isEqualTo(303);

        assertThat(http.get("/profile").statusCode()).as("the old session cookie is revoked").isEqualTo(302);
        assertThat(login(new Http(app), "ivy@example.com", NEW_PASSWORD).statusCode()).isEqualTo(303);
        HttpResponse<String> reused = stranger.submit("/forgot-password", "/reset-password",
                Map.of("token", token, "password", "another fine passphrase", "confirm_password", "another fine passphrase"));
        assertThat(reused.statusCode()).isEqualTo(410);
        assertThat(app.mailText(3)).contains("password of your account was just changed");
    }

    @Test
    void expiredResetLinkIsRefusedAndSendsNothing() throws Exception {
        register(http, "jo@example.com", PASSWORD, PASSWORD);
        http.submit("/forgot-password", "/forgot-password", Map.of("email", "jo@example.com"));
        URI link = app.linkIn(app.mailText(2)).orElseThrow();
        app.clock.advance(Duration.ofMinutes(31));

        assertThat(http.get(link.getPath() + "?" + link.getQuery()).statusCode()).isEqualTo(410);
        assertThat(app.smtp.getReceivedMessages()).hasSize(2);
    }

    @Test
    void aVerificationTokenDoesNotResetAPassword() throws Exception {
        register(http, "kim@example.com", PASSWORD, PASSWORD);
        URI verify = app.linkIn(app.mailText(1)).orElseThrow();
        String token = verify.getQuery().substring("token=".length());
        HttpResponse<String> response = http.submit("/", "/reset-password",
                Map.of("token", token, "password", NEW_PASSWORD, "confirm_password", NEW_PASSWORD));
        assertThat(response.statusCode()).isEqualTo(410);
    }

    @Test
    void unknownEmailResetIsIndistinguishableFromAKnownOne() throws Exception {
        register(new Http(app), "lee@example.com", PASSWORD, PASSWORD);
        Http a = new Http(app);
        Http b = new Http(app);
        HttpResponse<String> known = a.submit("/forgot-password", "/forgot-password", Map.of("email", "lee@example.com"));
        HttpResponse<String> unknown = b.submit("/forgot-password", "/forgot-password", Map.of("email", "nobody@example.com"));
        assertThat(known.statusCode()).isEqualTo(unknown.statusCode());
        assertThat(known.headers().firstValue("Location")).isEqualTo(unknown.headers().firstValue("Location"));
        assertThat(a.get("/login").body()).contains("If an account exists for that address");
        assertThat(b.get("/login").body()).contains("If an account exists for that address");
    }

    @Test
    void emailChangeHappensOnlyAfterConfirmation() throws Exception {
        register(http, "max@example.com", PASSWORD, PASSWORD);
        HttpResponse<String> wrong = http.submit("/email", "/email", Map.of("email", "max.new@example.org", "current_password", "nope nope nope"));
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).contains("Your current password is not correct.");
        HttpResponse<String> asked = http.submit("/email", "/email", Map.of("email", "max.new@example.org", "current_password", PASSWORD));
        assertThat(asked.statusCode()).isEqualTo(303);
        app.mailText(3);
        // GreenMail lists messages by mailbox, not by arrival: find each by its recipient.
        String confirm = app.mailTextTo("max.new@example.org");
        assertThat(app.mailTextTo("max@example.com")).contains("Someone asked to change the email address");
        assertThat(login(new Http(app), "max@example.com", PASSWORD).statusCode()).isEqualTo(303);

        String token = app.linkIn(confirm).orElseThrow().getQuery().substring("token=".length());
        assertThat(http.submit("/", "/confirm-email", Map.of("token", token)).statusCode()).isEqualTo(303);
        assertThat(login(new Http(app), "max.new@example.org", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(login(new Http(app), "max@example.com", PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void mailFormsRejectBadInputClearly() throws Exception {
        assertThat(http.submit("/forgot-password", "/forgot-password", Map.of("email", "")).statusCode()).isEqualTo(422);
        assertThat(http.get("/reset-password?token=garbage").statusCode()).isEqualTo(410);
        assertThat(http.get("/reset-password").statusCode()).isEqualTo(410);
        register(http, "nia@example.com", PASSWORD, PASSWORD);
        assertThat(http.submit("/email", "/email", Map.of("email", "not-an-email", "current_password", PASSWORD)).statusCode()).isEqualTo(422);
        http.submit("/", "/verify-email", Map.of("token", "' OR '1'='1"));
        assertThat(http.get("/").body()).contains("That link is invalid or has expired.");
    }
}
