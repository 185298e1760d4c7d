package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryOneTimeTokenStore;
import dev.portcullis.memory.InMemoryRememberMeStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.spi.AccountMail;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Remember-me, {@link WebAuth} and the mail flows over real HTTP in a real container; one
 * subclass per container. Mail is recorded in a list and sent on the request thread, so a test
 * reads the link as soon as the response arrives. Each test uses its own accounts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAccountFlowsContainerTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";
    static final String NEW_PASSWORD = "a-brand-new-passphrase-for-2026";
    static final Duration REMEMBER_ME = Duration.ofDays(30);

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<AccountMail> mails = new CopyOnWriteArrayList<>();
    final List<AccountMail> guardedMails = new CopyOnWriteArrayList<>();
    private final AtomicInteger accounts = new AtomicInteger();
    /** Behind {@code /app} and {@code /tls}: per-address budgets generous enough for every test here to share 127.0.0.1. */
    Portcullis portcullis;
    /** Behind {@code /guarded}: default throttling, behind a trusted proxy, so a test picks its client addresses. */
    Portcullis guarded;
    int port;

    protected abstract int start(List<TestApp.Deployment> deployments) throws Exception;

    protected abstract void stop() throws Exception;

    @BeforeAll
    void startContainer() throws Exception {
        portcullis = Portcullis.builder()
                .stores(Stores.of(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore()).withRememberMe(new InMemoryRememberMeStore()).withOneTimeTokens(new InMemoryOneTimeTokenStore()))
                .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .throttlePolicy(ThrottlePolicy.builder().registrationLimit(10_000).mailRequestLimit(10_000).build())
                .clock(clock)
                .build();
        guarded = Portcullis.builder()
                .stores(Stores.of(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore())
                        .withRememberMe(new InMemoryRememberMeStore()).withOneTimeTokens(new InMemoryOneTimeTokenStore()))
                .mail(MailSettings.of(guardedMails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .clock(clock)
                .build();
        port = start(List.of(
                TestApp.accountDeployment("/app", portcullis, TestApp.config().protect("/email").build()),
                TestApp.accountDeployment("/tls", portcullis, TestApp.config()
                        .cookieSecurity(AuthConfig.CookieSecurity.ALWAYS).cookiePath("/").build()),
                TestApp.accountDeployment("/guarded", guarded, TestApp.config()
                        .trustedProxies(List.of("127.0.0.1", "::1")).clientAddressHeader("X-Forwarded-For").build())));
    }

    @AfterAll
    void stopContainer() throws Exception {
        stop();
    }

    /** A fresh account, registered through the core (its verification mail is dropped). */
    String newAccount() {
        String email = "user" + accounts.incrementAndGet() + "@example.com";
        RegistrationResult r = portcullis.accounts().register(new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "test");
        assertThat(r).isInstanceOf(RegistrationResult.Registered.class);
        return email;
    }

    Browser browser() {
        return new Browser(port);
    }

    Browser loggedIn(String email, boolean rememberMe) {
        Browser b = browser();
        String token = b.csrfFrom("/app/login");
        Map<String, String> form = new java.util.HashMap<>(Map.of("email", email, "password", PASSWORD, "csrf_token", token));
        if (rememberMe) {
            form.put("remember_me", "on");
        }
        Browser.Response r = b.postForm("/app/auth/login", form);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return b;
    }

    /** The token in the link of the last mail of that type to that address. */
    <M extends AccountMail> String tokenFromLastMail(Class<M> type, String to) {
        AccountMail mail = mails.stream().filter(type::isInstance).filter(m -> m.to().display().equalsIgnoreCase(to))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " to " + to + " in " + mails));
        URI link;
        if (mail instanceof AccountMail.VerifyEmail v) {
            link = v.link();
        } else if (mail instanceof AccountMail.PasswordReset p) {
            link = p.link();
        } else if (mail instanceof AccountMail.ConfirmEmailChange c) {
            link = c.link();
        } else {
            throw new AssertionError("no link in " + mail);
        }
        assertThat(link.toString()).startsWith("https://app.example.com/");
        return link.getRawQuery().replaceFirst("^token=", "");
    }

    String who(Browser b) {
        return b.get("/app/whoami").body().replaceAll(".*remoteUser=(\\S+).*", "$1");
    }

    // ---- remember-me ---------------------------------------------------------------------------

    @Test
    void rememberMeCookieIsPersistentHttpOnlyLaxAndResumesAfterTheBrowserForgetsTheSession() {
        String email = newAccount();
        Browser b = browser();
        String token = b.csrfFrom("/app/login");
        Browser.Response login = b.postForm("/app/auth/login",
                Map.of("email", email, "password", PASSWORD, "csrf_token", token, "remember_me", "on"));
        assertThat(login.status()).isEqualTo(303);
        assertThat(login.setCookie("portcullis_remember").orElseThrow())
                .matches("portcullis_remember=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}; Max-Age=" + REMEMBER_ME.toSeconds()
                        + "; Path=/app; HttpOnly; SameSite=Lax");
        String remembered = b.cookies.get("portcullis_remember");

        b.cookies.remove("portcullis_session"); // the browser restarted
        clock.advance(Duration.ofDays(3));
        Browser.Response resumed = b.get("/app/account/x");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body()).contains("user=" + email);
        assertThat(resumed.setCookie("portcullis_session").orElseThrow()).matches("portcullis_session=[A-Za-z0-9_-]{43}; Path=/app; HttpOnly; SameSite=Lax");
        assertThat(b.cookies.get("portcullis_remember")).as("rotated on use").isNotEqualTo(remembered);
        assertThat(who(b)).isEqualTo(email);

        // The old token, replayed after the grace window, is theft: the whole series dies.
        clock.advance(Duration.ofMinutes(1));
        Browser thief = browser();
        thief.cookies.put("portcullis_remember", remembered);
        Browser.Response stolen = thief.get("/app/whoami");
        assertThat(stolen.body()).contains("remoteUser=null");
        assertThat(stolen.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");
        b.cookies.remove("portcullis_session");
        Browser.Response victim = b.get("/app/whoami");
        assertThat(victim.body()).as("the rotated token died with its series").contains("remoteUser=null");
        assertThat(victim.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");
    }

    @Test
    void theftDetectionEndsTheSessionTheThiefMintedFromTheCopy() {
        // Issue 12 item 3: the thief uses the copied token first; the owner's browser then presents
        // the replaced one. Before, only the series died and the thief's session kept working.
        String email = newAccount();
        Browser owner = loggedIn(email, true);
        Browser thief = browser();
        thief.cookies.put("portcullis_remember", owner.cookies.get("portcullis_remember"));
        assertThat(who(thief)).as("the copy works once").isEqualTo(email);
        assertThat(thief.cookies).containsKey("portcullis_session");

        owner.cookies.remove("portcullis_session"); // the owner's browser restarts
        clock.advance(Duration.ofMinutes(1));
        Browser.Response detected = owner.get("/app/whoami");
        assertThat(detected.body()).contains("remoteUser=null");
        assertThat(detected.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");

        Browser.Response afterwards = thief.get("/app/account/x");
        assertThat(afterwards.status()).as("the thief's session is dead").isEqualTo(302);
        assertThat(afterwards.setCookie("portcullis_session").orElseThrow()).contains("Max-Age=0");
        assertThat(mails).filteredOn(m -> m instanceof AccountMail.RememberMeTheft && m.to().display().equals(email))
                .as("the owner is told").hasSize(1);
    }

    @Test
    void loginWithoutRememberMeSetsNoPersistentCookie() {
        Browser b = loggedIn(newAccount(), false);
        assertThat(b.cookies).containsKey("portcullis_session").doesNotContainKey("portcullis_remember");
    }

    @Test
    void jsonLoginAcceptsRememberMeAsABoolean() {
        String email = newAccount();
        Browser b = browser();
        String token = b.get("/app/auth/csrf").body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
        Browser.Response r = b.postJson("/app/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"rememberMe\":true}", "X-CSRF-Token", token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.setCookie("portcullis_remember")).isPresent();
    }

    @Test
    void garbageOrUnknownRememberMeCookieIsExpired() {
        for (String value : List.of("garbage", "A".repeat(22) + "." + "B".repeat(43))) {
            Browser b = browser();
            b.cookies.put("portcullis_remember", value);
            Browser.Response r = b.get("/app/account/x");
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");
            assertThat(r.setCookie("portcullis_session")).isEmpty();
        }
    }

    @Test
    void rememberMeCookieIsNeverReadOrWrittenOnBearerRequests() {
        Browser b = loggedIn(newAccount(), true);
        b.cookies.remove("portcullis_session");
        Browser.Response r = b.get("/app/whoami", "Authorization", "Bearer abc.def.ghi");
        assertThat(r.body()).contains("remoteUser=null");
        assertThat(r.setCookies()).isEmpty();
    }

    @Test
    void logoutEndpointRevokesTheRememberMeSeries() {
        String email = newAccount();
        Browser b = loggedIn(email, true);
        String remembered = b.cookies.get("portcullis_remember");
        String token = b.csrfFrom("/app/login");
        Browser.Response out = b.postForm("/app/auth/logout", Map.of("csrf_token", token));
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");
        assertThat(out.setCookie("portcullis_session").orElseThrow()).contains("Max-Age=0");

        Browser replay = browser();
        replay.cookies.put("portcullis_remember", remembered);
        assertThat(replay.get("/app/whoami").body()).contains("remoteUser=null");
    }

    @Test
    void rememberMeCookieIsHostPrefixedAndSecureOverHttps() {
        String email = newAccount();
        Browser b = browser();
        String token = b.csrfFrom("/tls/login");
        Browser.Response r = b.postForm("/tls/auth/login",
                Map.of("email", email, "password", PASSWORD, "csrf_token", token, "rememberMe", "true"));
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.setCookie("__Host-portcullis_remember").orElseThrow())
                .endsWith("; Max-Age=" + REMEMBER_ME.toSeconds() + "; Path=/; HttpOnly; SameSite=Lax; Secure");
        b.cookies.remove("__Host-portcullis_session");
        assertThat(b.get("/tls/whoami").body()).contains("remoteUser=" + email);
    }

    // ---- WebAuth (the app's own handlers) ------------------------------------------------------

    @Test
    void appsOwnLoginAndLogoutThroughWebAuth() {
        String email = newAccount();
        Browser b = browser();
        String anonymous = b.get("/app/own/state").body().replaceAll(".*csrf=(\\S+).*", "$1");
        assertThat(b.get("/app/own/state").body()).contains("user=null session=false");

        Browser.Response login = b.postForm("/app/own/login", Map.of("email", email, "password", PASSWORD,
                "remember_me", "on", "csrf_token", anonymous, "next", "/account/home"));
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.location()).endsWith("/app/account/home");
        assertThat(login.setCookie("portcullis_session")).isPresent();
        assertThat(login.setCookie("portcullis_csrf")).as("CSRF rotated").isPresent();
        assertThat(login.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=" + REMEMBER_ME.toSeconds());

        Browser.Response state = b.get("/app/own/state");
        assertThat(state.body()).contains("user=" + email + " session=true address=127.0.0.1");
        String loggedInToken = state.body().replaceAll(".*csrf=(\\S+).*", "$1");
        assertThat(loggedInToken).isNotEqualTo(anonymous);
        assertThat(b.postForm("/app/own/logout", Map.of("csrf_token", anonymous)).status()).as("pre-login token is dead").isEqualTo(403);

        String remembered = b.cookies.get("portcullis_remember");
        Browser.Response logout = b.postForm("/app/own/logout", Map.of("csrf_token", loggedInToken));
        assertThat(logout.status()).isEqualTo(200);
        String after = logout.body().replaceAll(".*csrf=(\\S+) attribute=(\\S+)", "$1 $2");
        assertThat(after.split(" ")[0]).isEqualTo(after.split(" ")[1]).isNotEqualTo(loggedInToken);
        assertThat(logout.body()).startsWith("logged out user=null");
        assertThat(logout.setCookie("portcullis_session").orElseThrow()).contains("Max-Age=0");
        assertThat(logout.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");
        assertThat(who(b)).isEqualTo("null");
        Browser replay = browser();
        replay.cookies.put("portcullis_remember", remembered);
        assertThat(who(replay)).isEqualTo("null");
    }

    @Test
    void appsOwnLoginFailureKeepsTheBrowserAnonymous() {
        Browser b = browser();
        String token = b.get("/app/own/state").body().replaceAll(".*csrf=(\\S+).*", "$1");
        Browser.Response r = b.postForm("/app/own/login", Map.of("email", newAccount(), "password", "wrong-password-123456",
                "csrf_token", token));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("login failed csrf=" + token);
        assertThat(r.setCookie("portcullis_session")).isEmpty();
    }

    // ---- email verification --------------------------------------------------------------------

    @Test
    void registrationMailsAVerificationLinkThatWorksOnceAndAcceptsConfirmUnderscorePassword() {
        Browser b = browser();
        String token = b.csrfFrom("/app/register");
        String email = "verify-me-" + accounts.incrementAndGet() + "@example.com";
        Browser.Response r = b.postForm("/app/auth/register", Map.of("email", email, "password", PASSWORD,
                "confirm_password", PASSWORD, "csrf_token", token));
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        String link = tokenFromLastMail(AccountMail.VerifyEmail.class, email);

        Browser clicker = browser();
        String csrf = clicker.csrfFrom("/app/verify-email");
        Browser.Response verified = clicker.postForm("/app/auth/verify-email", Map.of("token", link, "csrf_token", csrf));
        assertThat(verified.status()).isEqualTo(303);
        assertThat(verified.location()).isEqualTo("/app/login?email-verified");
        assertThat(b.get("/app/own/state").body()).contains("user=" + email);

        Browser.Response reused = clicker.postForm("/app/auth/verify-email", Map.of("token", link, "csrf_token", csrf));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body()).contains("error=invalid_token status=400");
        Browser.Response json = clicker.postJson("/app/auth/verify-email", "{\"token\":\"" + link + "\"}", "X-CSRF-Token", csrf);
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.body()).contains("\"error\":\"invalid_token\"");
        assertThat(clicker.postForm("/app/auth/verify-email", Map.of("token", link)).status()).as("CSRF applies").isEqualTo(403);
    }

    @Test
    void expiredVerificationLinkIsRefusedAndResendMailsANewOne() {
        String email = newAccount();
        String expired = tokenFromLastMail(AccountMail.VerifyEmail.class, email);
        clock.advance(Duration.ofHours(49));
        Browser b = browser();
        String csrf = b.csrfFrom("/app/verify-email");
        assertThat(b.postForm("/app/auth/verify-email", Map.of("token", expired, "csrf_token", csrf)).status()).isEqualTo(400);

        Browser.Response resend = b.postForm("/app/auth/resend-verification", Map.of("email", email, "current_password", PASSWORD, "csrf_token", csrf));
        assertThat(resend.status()).isEqualTo(303);
        assertThat(resend.location()).isEqualTo("/app/login?verification-sent");
        String fresh = tokenFromLastMail(AccountMail.VerifyEmail.class, email);
        assertThat(fresh).isNotEqualTo(expired);
        Browser.Response ok = b.postJson("/app/auth/verify-email", "{\"token\":\"" + fresh + "\"}", "X-CSRF-Token", csrf);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"status\":\"email_verified\"");

        Browser.Response bad = b.postForm("/app/auth/resend-verification", Map.of("email", "not-an-email", "csrf_token", csrf));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("error=invalid_input").contains("fields=[email]");
    }

    // ---- password reset ------------------------------------------------------------------------

    @Test
    void resetLinkSetsANewPasswordAndRevokesTheOldSessionAndRememberMeCookies() {
        String email = newAccount();
        Browser victim = loggedIn(email, true);
        String oldSession = victim.cookies.get("portcullis_session");
        String oldRemember = victim.cookies.get("portcullis_remember");

        Browser b = browser();
        String csrf = b.csrfFrom("/app/forgot-password");
        Browser.Response asked = b.postForm("/app/auth/forgot-password", Map.of("email", email.toUpperCase(), "csrf_token", csrf));
        assertThat(asked.status()).isEqualTo(303);
        assertThat(asked.location()).isEqualTo("/app/login?reset-requested");
        String link = tokenFromLastMail(AccountMail.PasswordReset.class, email);

        String csrf2 = b.csrfFrom("/app/reset-password?token=" + link);
        Browser.Response weak = b.postForm("/app/auth/reset-password", Map.of("token", link, "password", "short",
                "confirm_password", "short", "csrf_token", csrf2));
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.body()).contains("error=invalid_input").contains("fields=[password]").contains("token=" + link);
        Browser.Response mismatch = b.postForm("/app/auth/reset-password", Map.of("token", link, "password", NEW_PASSWORD,
                "confirmPassword", NEW_PASSWORD + "x", "csrf_token", csrf2));
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(mismatch.body()).contains("fields=[confirmPassword]");

        Browser.Response reset = b.postForm("/app/auth/reset-password", Map.of("token", link, "password", NEW_PASSWORD,
                "confirm_password", NEW_PASSWORD, "csrf_token", csrf2));
        assertThat(reset.status()).isEqualTo(303);
        assertThat(reset.location()).isEqualTo("/app/login?password-reset");
        assertThat(mails).anyMatch(m -> m instanceof AccountMail.PasswordChanged && m.to().display().equals(email));

        Browser.Response old = victim.get("/app/account/x");
        assertThat(old.status()).as("the old session cookie is dead").isEqualTo(302);
        assertThat(old.setCookie("portcullis_session").orElseThrow()).contains("Max-Age=0");
        assertThat(old.setCookie("portcullis_remember").orElseThrow()).as("the remember-me cookie is dead").contains("Max-Age=0");
        Browser replay = browser();
        replay.cookies.put("portcullis_session", oldSession);
        replay.cookies.put("portcullis_remember", oldRemember);
        assertThat(who(replay)).isEqualTo("null");

        Browser.Response reused = b.postForm("/app/auth/reset-password", Map.of("token", link, "password", NEW_PASSWORD + "2",
                "confirm_password", NEW_PASSWORD + "2", "csrf_token", csrf2));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body()).contains("error=invalid_token");

        Browser fresh = browser();
        String t = fresh.csrfFrom("/app/login");
        assertThat(fresh.postForm("/app/auth/login", Map.of("email", email, "password", PASSWORD, "csrf_token", t)).status())
                .isEqualTo(401);
        assertThat(fresh.postForm("/app/auth/login", Map.of("email", email, "password", NEW_PASSWORD, "csrf_token", t)).status())
                .isEqualTo(303);
    }

    @Test
    void resetOnTheBrowserThatIsLoggedInExpiresItsCookies() {
        String email = newAccount();
        Browser b = loggedIn(email, true);
        String csrf = b.csrfFrom("/app/login");
        assertThat(b.postJson("/app/auth/forgot-password", "{\"email\":\"" + email + "\"}", "X-CSRF-Token", csrf).status()).isEqualTo(202);
        String link = tokenFromLastMail(AccountMail.PasswordReset.class, email);
        Browser.Response r = b.postJson("/app/auth/reset-password", "{\"token\":\"" + link + "\",\"password\":\"" + NEW_PASSWORD
                + "\",\"confirmPassword\":\"" + NEW_PASSWORD + "\"}", "X-CSRF-Token", csrf);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"password_reset\"");
        assertThat(r.setCookie("portcullis_session").orElseThrow()).contains("Max-Age=0");
        assertThat(r.setCookie("portcullis_remember").orElseThrow()).contains("Max-Age=0");
    }

    @Test
    void expiredResetLinkIsRefused() {
        String email = newAccount();
        Browser b = browser();
        String csrf = b.csrfFrom("/app/forgot-password");
        b.postForm("/app/auth/forgot-password", Map.of("email", email, "current_password", PASSWORD, "csrf_token", csrf));
        String link = tokenFromLastMail(AccountMail.PasswordReset.class, email);
        clock.advance(Duration.ofMinutes(31));
        Browser.Response r = b.postForm("/app/auth/reset-password", Map.of("token", link, "password", NEW_PASSWORD,
                "confirm_password", NEW_PASSWORD, "csrf_token", csrf));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("error=invalid_token");
        Browser.Response json = b.postJson("/app/auth/reset-password", "{\"token\":\"" + link + "\",\"password\":\"" + NEW_PASSWORD
                + "\",\"confirm_password\":\"" + NEW_PASSWORD + "\"}", "X-CSRF-Token", csrf);
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.body()).contains("\"error\":\"invalid_token\"");
    }

    @Test
    void resetTokenIsRefusedForAnotherPurpose() {
        String email = newAccount();
        String verifyToken = tokenFromLastMail(AccountMail.VerifyEmail.class, email);
        Browser b = browser();
        String csrf = b.csrfFrom("/app/reset-password");
        Browser.Response r = b.postForm("/app/auth/reset-password", Map.of("token", verifyToken, "password", NEW_PASSWORD,
                "confirm_password", NEW_PASSWORD, "csrf_token", csrf));
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void forgotPasswordAnswersTheSameForKnownAndUnknownAddresses() {
        String known = newAccount();
        int before = mails.size();
        Browser b = browser();
        String csrf = b.csrfFrom("/app/forgot-password");
        Browser.Response formKnown = b.postForm("/app/auth/forgot-password", Map.of("email", known, "csrf_token", csrf));
        Browser.Response formUnknown = b.postForm("/app/auth/forgot-password", Map.of("email", "nobody-here@example.com", "csrf_token", csrf));
        assertThat(formUnknown.status()).isEqualTo(formKnown.status()).isEqualTo(303);
        assertThat(formUnknown.location()).isEqualTo(formKnown.location());
        assertThat(formUnknown.body()).isEqualTo(formKnown.body());

        clock.advance(Duration.ofMinutes(2)); // past the mail cooldown
        Browser.Response jsonKnown = b.postJson("/app/auth/forgot-password", "{\"email\":\"" + known + "\"}", "X-CSRF-Token", csrf);
        Browser.Response jsonUnknown = b.postJson("/app/auth/forgot-password", "{\"email\":\"nobody-here@example.com\"}", "X-CSRF-Token", csrf);
        assertThat(jsonUnknown.status()).isEqualTo(jsonKnown.status()).isEqualTo(202);
        assertThat(jsonUnknown.body()).isEqualTo(jsonKnown.body());
        assertThat(mails.subList(before, mails.size())).hasSize(2).allMatch(m -> m.to().display().equals(known));
    }

    // ---- device cookies (issue 12 item 2) -------------------------------------------------------

    Browser.Response guardedLogin(Browser b, String email, String password, String from) {
        String csrf = b.csrfFrom("/guarded/login");
        return b.postForm("/guarded/auth/login", Map.of("email", email, "password", password, "csrf_token", csrf),
                "X-Forwarded-For", from);
    }

    @Test
    void guessesSpacedByRetryAfterFromEverNewAddressesKeepTheAccountThrottledButNotForTheOwnersBrowser() {
        String email = "device-owner@example.com";
        assertThat(guarded.accounts().register(new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ""))
                .isInstanceOf(RegistrationResult.Registered.class);
        Browser owner = browser();
        Browser.Response first = guardedLogin(owner, email, PASSWORD, "192.0.2.10");
        assertThat(first.status()).isEqualTo(303);
        assertThat(first.setCookie("portcullis_device").orElseThrow()).matches("portcullis_device=[A-Za-z0-9_-]{22}\\.[0-9]+\\."
                + "[A-Za-z0-9_-]{43}; Max-Age=" + Duration.ofDays(180).toSeconds() + "; Path=/guarded; HttpOnly; SameSite=Lax");
        String csrf = owner.csrfFrom("/guarded/login");
        Browser.Response logout = owner.postForm("/guarded/auth/logout", Map.of("csrf_token", csrf));
        assertThat(logout.status()).isEqualTo(303);
        assertThat(logout.setCookie("portcullis_device")).as("the device cookie outlives logout").isEmpty();
        assertThat(owner.cookies).containsKey("portcullis_device").doesNotContainKey("portcullis_session");

        // The attack from the report: wrong guesses from ever new addresses, each after Retry-After.
        Browser attacker = browser();
        String attackerCsrf = attacker.csrfFrom("/guarded/login");
        for (int i = 0; i < 30; i++) {
            Map<String, String> guess = Map.of("email", email, "password", "wrong guess number " + i, "csrf_token", attackerCsrf);
            Browser.Response r = attacker.postForm("/guarded/auth/login", guess, "X-Forwarded-For", "203.0.113." + i);
            if (r.status() == 429) {
                clock.advance(Duration.ofSeconds(Long.parseLong(r.header("Retry-After").orElseThrow())));
                r = attacker.postForm("/guarded/auth/login", guess, "X-Forwarded-For", "203.0.113." + i);
            }
            assertThat(r.status()).as("guess %d after waiting: %s", i, r.body()).isEqualTo(401);
        }
        assertThat(attacker.cookies).doesNotContainKey("portcullis_device");

        Browser.Response newBrowser = guardedLogin(browser(), email, PASSWORD, "198.51.100.1");
        assertThat(newBrowser.status()).as("the owner on a browser without the cookie: the account-wide limit").isEqualTo(429);
        assertThat(newBrowser.header("Retry-After")).isPresent();
        Browser.Response trusted = guardedLogin(owner, email, PASSWORD, "192.0.2.10");
        assertThat(trusted.status()).as("the owner's browser, at once: %s", trusted.body()).isEqualTo(303);
        assertThat(trusted.setCookie("portcullis_device")).as("a fresh device token").isPresent();
        assertThat(owner.get("/guarded/whoami").body()).contains("remoteUser=" + email);
        Browser.Response stillThrottled = attacker.postForm("/guarded/auth/login", Map.of("email", email,
                "password", "one more guess", "csrf_token", attackerCsrf), "X-Forwarded-For", "203.0.113.200");
        assertThat(stillThrottled.status()).as("the attacker gets no fresh budget from the owner's sign-in").isEqualTo(429);
        assertThat(guardedMails).filteredOn(m -> m instanceof AccountMail.SignInThrottled && m.to().display().equals(email))
                .as("the owner is told, once").hasSize(1);
    }

    @Test
    void deviceCookieIsHostPrefixedAndSecureOverHttpsAndSetByTheJsonLoginToo() {
        String email = newAccount();
        Browser b = browser();
        String token = b.csrfFrom("/tls/login");
        Browser.Response r = b.postForm("/tls/auth/login", Map.of("email", email, "password", PASSWORD, "csrf_token", token));
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.setCookie("__Host-portcullis_device").orElseThrow())
                .endsWith("; Max-Age=" + Duration.ofDays(180).toSeconds() + "; Path=/; HttpOnly; SameSite=Lax; Secure");

        Browser json = browser();
        String csrf = json.get("/app/auth/csrf").body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
        Browser.Response ok = json.postJson("/app/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
                "X-CSRF-Token", csrf);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.setCookie("portcullis_device")).isPresent();
    }

    // ---- per-address budgets (issue 12 item 5) ---------------------------------------------------

    @Test
    void registrationsFromOneAddressGet429WithRetryAfterPastTheirBudgetTakenOrNew() {
        String from = "198.51.100.55";
        int limit = ThrottlePolicy.defaults().registrationLimit();
        for (int i = 0; i < limit; i++) {
            Browser b = browser();
            String csrf = b.csrfFrom("/guarded/register");
            String email = i % 2 == 0 ? "burst" + i + "@example.com" : "burst0@example.com";
            Browser.Response r = b.postForm("/guarded/auth/register", Map.of("email", email, "password", PASSWORD,
                    "confirm_password", PASSWORD, "csrf_token", csrf), "X-Forwarded-For", from);
            assertThat(r.status()).as(r.body()).isEqualTo(i % 2 == 0 ? 303 : 409);
        }

        Browser b = browser();
        String csrf = b.csrfFrom("/guarded/register");
        Browser.Response form = b.postForm("/guarded/auth/register", Map.of("email", "burst0@example.com", "password", PASSWORD,
                "confirm_password", PASSWORD, "csrf_token", csrf), "X-Forwarded-For", from);
        assertThat(form.status()).as("a taken address: no 409 oracle").isEqualTo(429);
        assertThat(form.header("Retry-After")).contains("900");
        assertThat(form.body()).contains("error=throttled status=429");
        Browser.Response json = b.postJson("/guarded/auth/register", "{\"email\":\"burst-new@example.com\",\"password\":\""
                + PASSWORD + "\",\"confirmPassword\":\"" + PASSWORD + "\"}", "X-CSRF-Token", csrf, "X-Forwarded-For", from);
        assertThat(json.status()).isEqualTo(429);
        assertThat(json.header("Retry-After")).contains("900");
        assertThat(json.body()).contains("\"error\":\"throttled\"");
        assertThat(b.postForm("/guarded/auth/register", Map.of("email", "burst-new@example.com", "password", PASSWORD,
                "confirm_password", PASSWORD, "csrf_token", csrf), "X-Forwarded-For", "198.51.100.56").status())
                .as("another address").isEqualTo(303);
    }

    @Test
    void mailRequestsFromOneAddressGet429WithRetryAfterPastTheirBudget() {
        String from = "198.51.100.57";
        Browser b = browser();
        String csrf = b.csrfFrom("/guarded/forgot-password");
        int limit = ThrottlePolicy.defaults().mailRequestLimit();
        for (int i = 0; i < limit; i++) {
            String path = i % 2 == 0 ? "/guarded/auth/forgot-password" : "/guarded/auth/resend-verification";
            Browser.Response r = b.postForm(path, Map.of("email", "target" + i + "@example.com", "csrf_token", csrf),
                    "X-Forwarded-For", from);
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(303);
        }

        Browser.Response reset = b.postForm("/guarded/auth/forgot-password", Map.of("email", "target0@example.com", "csrf_token", csrf),
                "X-Forwarded-For", from);
        assertThat(reset.status()).isEqualTo(429);
        assertThat(reset.header("Retry-After")).contains("900");
        assertThat(reset.body()).contains("error=throttled status=429");
        Browser.Response resend = b.postJson("/guarded/auth/resend-verification", "{\"email\":\"target1@example.com\"}",
                "X-CSRF-Token", csrf, "X-Forwarded-For", from);
        assertThat(resend.status()).isEqualTo(429);
        assertThat(resend.header("Retry-After")).contains("900");
        assertThat(resend.body()).contains("\"error\":\"throttled\"");
        assertThat(b.postForm("/guarded/auth/forgot-password", Map.of("email", "target0@example.com", "csrf_token", csrf),
                "X-Forwarded-For", "198.51.100.58").status()).as("another address").isEqualTo(303);
    }

    // ---- email change --------------------------------------------------------------------------

    @Test
    void emailChangeIsConfirmedFromTheNewAddressAndEndsEverySession() {
        String email = newAccount();
        String newEmail = "moved-" + email;
        Browser b = loggedIn(email, true);
        String csrf = b.csrfFrom("/app/email");
        Browser.Response same = b.postForm("/app/auth/email", Map.of("email", email, "current_password", PASSWORD, "csrf_token", csrf));
        assertThat(same.status()).isEqualTo(422);
        assertThat(same.body()).contains("fields=[email]");

        Browser.Response wrong = b.postForm("/app/auth/email", Map.of("email", newEmail, "current_password", "not the password", "csrf_token", csrf));
        assertThat(wrong.status()).as("a session alone cannot move the account").isEqualTo(422);
        assertThat(wrong.body()).contains("currentPassword");
        assertThat(mails).noneMatch(m -> m instanceof AccountMail.ConfirmEmailChange && m.to().display().equals(newEmail));

        Browser.Response asked = b.postForm("/app/auth/email", Map.of("email", newEmail, "current_password", PASSWORD, "csrf_token", csrf));
        assertThat(asked.status()).isEqualTo(303);
        assertThat(asked.location()).isEqualTo("/app/email?confirmation-sent");
        assertThat(mails).anyMatch(m -> m instanceof AccountMail.EmailChangeRequested && m.to().display().equals(email));
        String link = tokenFromLastMail(AccountMail.ConfirmEmailChange.class, newEmail);
        assertThat(who(b)).as("nothing changes before confirmation").isEqualTo(email);

        Browser clicker = browser();
        String c2 = clicker.csrfFrom("/app/confirm-email");
        Browser.Response confirmed = clicker.postForm("/app/auth/confirm-email", Map.of("token", link, "csrf_token", c2));
        assertThat(confirmed.status()).isEqualTo(303);
        assertThat(confirmed.location()).isEqualTo("/app/login?email-changed");
        assertThat(who(b)).isEqualTo("null");
        assertThat(clicker.postForm("/app/auth/confirm-email", Map.of("token", link, "csrf_token", c2)).body())
                .contains("error=invalid_token status=400");

        Browser again = browser();
        String t = again.csrfFrom("/app/login");
        assertThat(again.postForm("/app/auth/login", Map.of("email", newEmail, "password", PASSWORD, "csrf_token", t)).status())
                .isEqualTo(303);
    }

    @Test
    void emailChangeRequiresLogin() {
        Browser b = browser();
        String csrf = b.csrfFrom("/app/login");
        Browser.Response form = b.postForm("/app/auth/email", Map.of("email", "x@example.com", "current_password", PASSWORD, "csrf_token", csrf));
        assertThat(form.status()).isEqualTo(303);
        assertThat(form.location()).isEqualTo("/app/login?next=%2Femail");
        Browser.Response json = b.postJson("/app/auth/email", "{\"email\":\"x@example.com\",\"current_password\":\"" + PASSWORD + "\"}", "X-CSRF-Token", csrf);
        assertThat(json.status()).isEqualTo(401);
        assertThat(json.body()).contains("\"error\":\"unauthenticated\"");
    }

    @Test
    void expiredEmailChangeLinkIsRefused() {
        String email = newAccount();
        Browser b = loggedIn(email, false);
        String csrf = b.csrfFrom("/app/email");
        b.postJson("/app/auth/email", "{\"email\":\"late-" + email + "\",\"currentPassword\":\"" + PASSWORD + "\"}", "X-CSRF-Token", csrf);
        String link = tokenFromLastMail(AccountMail.ConfirmEmailChange.class, "late-" + email);
        clock.advance(Duration.ofHours(25));
        Browser clicker = browser();
        String c2 = clicker.csrfFrom("/app/confirm-email");
        Browser.Response r = clicker.postJson("/app/auth/confirm-email", "{\"token\":\"" + link + "\"}", "X-CSRF-Token", c2);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_token\"");
    }

    @Test
    void mailFlowGarbageNeverCausesAServerError() {
        Browser b = browser();
        String csrf = b.csrfFrom("/app/login");
        for (String path : List.of("/verify-email", "/resend-verification", "/forgot-password", "/reset-password", "/email",
                "/confirm-email")) {
            for (Map<String, String> form : List.<Map<String, String>>of(Map.of("csrf_token", csrf),
                    Map.of("token", "x".repeat(5000), "email", "\u0000@@", "password", "p".repeat(10_000), "csrf_token", csrf))) {
                Browser.Response r = b.postForm("/app/auth" + path, form);
                assertThat(r.status()).as(path + " " + r.body()).isBetween(300, 499);
                assertThat(r.body()).doesNotContain("Exception");
            }
            assertThat(b.get("/app/auth" + path).status()).isEqualTo(405);
        }
    }
}
