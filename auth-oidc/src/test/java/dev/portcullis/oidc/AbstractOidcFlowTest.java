package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.portcullis.Portcullis;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.memory.InMemoryIdentityStore;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.identity.LinkResult;
import dev.portcullis.identity.VerifiedIdentity;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.oidc.servlet.OidcServlet;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.servlet.AuthConfig;
import dev.portcullis.servlet.AuthEndpointsServlet;
import dev.portcullis.servlet.AuthFilter;
import dev.portcullis.servlet.WebAuth;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.testkit.MutableClock;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole redirect flow over real HTTP: the application in an embedded container (AuthFilter,
 * OidcServlet, the password endpoints; a subclass per container), a real OpenID provider in the
 * test JVM (mock-oauth2-server: discovery, authorize, token with PKCE check, JWKS), and browsers
 * with their own cookie jars.
 */
abstract class AbstractOidcFlowTest {

    /** Serves {@code filter} on {@code /*} and the servlets at their mappings on 127.0.0.1; answers the port. */
    abstract int startApp(jakarta.servlet.Filter filter, Map<String, HttpServlet> servlets) throws Exception;

    abstract void stopApp() throws Exception;

    private static final String CLIENT = "portcullis-app";
    private static final String PASSWORD = "violet tractor umbrella seventeen";

    final MutableClock clock = MutableClock.at(Instant.now());
    final List<AccountMail> mails = new CopyOnWriteArrayList<>();
    final InMemoryIdentityStore identities = new InMemoryIdentityStore();
    final Portcullis auth = Portcullis.builder()
            .stores(InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
            .secondFactorKey(new byte[32])
            .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade()).clock(clock)
            .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
            .identityStore(identities).build();
    final AtomicReference<HttpServlet> oidc = new AtomicReference<>();

    MockOAuth2Server provider;
    int providerPort;
    URI app;
    String issuer;

    static RSAKey key(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** The provider's signing key, which the test can rotate: only the current one is published. */
    static final class RotatingKeys extends KeyProvider {
        private final AtomicReference<RSAKey> current;

        RotatingKeys(RSAKey first) {
            super(new ArrayList<JWK>(List.of(first)), "RS256");
            current = new AtomicReference<>(first);
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current.get();
        }

        void rotate(RSAKey next) {
            current.set(next);
        }
    }

    RotatingKeys keys;

    MockOAuth2Server provider(RSAKey key, int port) throws IOException {
        keys = new RotatingKeys(key);
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(keys, Instant::now)));
        server.start(InetAddress.getByName("127.0.0.1"), port);
        return server;
    }

    @BeforeEach
    void start() throws Exception {
        provider = provider(key("key-1"), 0);
        providerPort = provider.baseUrl().port();
        issuer = provider.issuerUrl("idp").toString();
        Map<String, HttpServlet> servlets = new java.util.LinkedHashMap<>();
        servlets.put("/auth/oidc/*", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp)
                    throws jakarta.servlet.ServletException, IOException {
                oidc.get().service(req, resp);
            }
        });
        servlets.put("/auth/*", new AuthEndpointsServlet());
        servlets.put("/me", new Me());
        app = URI.create("http://127.0.0.1:" + startApp(new AuthFilter(auth, AuthConfig.builder().build()), servlets));
        OidcLogin login = OidcLogin.builder()
                .provider(OidcProvider.builder("idp").displayName("Test IdP").issuer(URI.create(issuer))
                        .client(CLIENT, "client-secret").build())
                .redirectBase(app.resolve("/auth/oidc/")).clock(clock).attemptLifetime(Duration.ofMinutes(30))
                .jwksRefreshMinInterval(Duration.ZERO).build();
        oidc.set(new OidcServlet(login, auth.identities(), "/me", "/me"));
    }

    @AfterEach
    void stop() throws Exception {
        stopApp();
        provider.shutdown();
        auth.close();
    }

    /** The settings page stand-in: who is signed in, and a CSRF token for its forms. */
    static final class Me extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            WebAuth web = WebAuth.of(req, resp);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().write("user=" + web.currentUser().map(u -> u.email().display()).orElse("-")
                    + "\ncsrf=" + web.csrfToken() + "\n");
        }
    }

    void enqueue(String subject, Map<String, Object> claims) {
        enqueue(subject, List.of(CLIENT), claims, 3600);
    }

    void enqueue(String subject, List<String> audience, Map<String, Object> claims, long expirySeconds) {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("idp", subject, "JWT", audience, claims, expirySeconds));
    }

    static Map<String, Object> email(String address, boolean verified) {
        return Map.of("email", address, "email_verified", verified);
    }

    HttpResponse<String> start(Browser browser, String next) {
        HttpResponse<String> started = browser.get(app.resolve("/auth/oidc/idp/start?next=" + next));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        return started;
    }

    /** The browser at the provider, which signs it in without asking and sends it back: the callback URI. */
    URI atProvider(Browser browser, HttpResponse<String> started) {
        HttpResponse<String> authorize = browser.get(Browser.location(started));
        assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(302);
        return Browser.location(authorize);
    }

    HttpResponse<String> signIn(Browser browser, String next) {
        return browser.get(atProvider(browser, start(browser, next)));
    }

    String me(Browser browser) {
        return browser.get(app.resolve("/me")).body();
    }

    String csrf(Browser browser) {
        String page = me(browser);
        return page.substring(page.indexOf("csrf=") + 5).strip();
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static URI withQuery(URI callback, String state, String code) {
        return URI.create(callback.getScheme() + "://" + callback.getRawAuthority() + callback.getRawPath()
                + "?state=" + state + "&code=" + code);
    }

    List<RecordedRequest> providerRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        while (true) {
            try {
                out.add(provider.takeRequest(200, TimeUnit.MILLISECONDS));
            } catch (RuntimeException empty) { // the queue is drained
                return out;
            }
        }
    }

    boolean hasSessionCookie(Browser browser) {
        return browser.cookies.getCookieStore().getCookies().stream().map(HttpCookie::getName)
                .anyMatch(n -> n.endsWith("portcullis_session"));
    }

    @Test
    void newIdentitySignsInWithPkceS256AndLandsOnNext() throws Exception {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();

        HttpResponse<String> started = start(browser, "/me?tab=security");
        Map<String, String> authorization = query(Browser.location(started));
        HttpResponse<String> callback = browser.get(atProvider(browser, started));

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertThat(Browser.location(callback).toString()).endsWith("/me?tab=security");
        assertThat(me(browser)).contains("user=alice@example.org");
        assertThat(authorization).containsEntry("code_challenge_method", "S256").containsEntry("client_id", CLIENT)
                .containsKeys("state", "nonce", "code_challenge").containsEntry("response_type", "code");
        RecordedRequest token = providerRequests().stream().filter(r -> r.getPath().endsWith("/token")).findFirst()
                .orElseThrow();
        Map<String, String> tokenForm = query(URI.create("x:/?" + token.getBody().readUtf8()));
        String verifier = tokenForm.get("code_verifier");
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        assertThat(challenge).isEqualTo(authorization.get("code_challenge"));
        assertThat(tokenForm).containsEntry("grant_type", "authorization_code");
        assertThat(identities.find(issuer, "alice-sub")).isPresent();
    }

    @Test
    void nextOutsideTheSiteIsIgnored() {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();

        HttpResponse<String> callback = signIn(browser, "//evil.example/steal");

        assertThat(callback.statusCode()).isEqualTo(303);
        assertThat(Browser.location(callback)).isEqualTo(app.resolve("/me"));
    }

    @Test
    void callbackInAnotherBrowserSignsNobodyIn() {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser victim = new Browser();
        URI callback = atProvider(victim, start(victim, "/me"));

        Browser other = new Browser();
        HttpResponse<String> answer = other.get(callback);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("not started in this browser");
        assertThat(hasSessionCookie(other)).isFalse();
        assertThat(me(other)).contains("user=-");
    }

    @Test
    void missingOrForgedStateIsRefused() {
        Browser browser = new Browser();
        URI callback = atProvider(browser, start(browser, "/me"));
        String code = query(callback).get("code");

        HttpResponse<String> missing = browser.get(app.resolve("/auth/oidc/idp/callback?code=" + code));
        HttpResponse<String> forged = browser.get(withQuery(callback, "forged-state-value-xyz", code));

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(me(browser)).contains("user=-");
    }

    @Test
    void codeOfOneAttemptDeliveredWithAnotherAttemptsStateIsRefusedByPkce() {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();
        HttpResponse<String> first = start(browser, "/me");
        HttpResponse<String> second = start(browser, "/me");
        URI firstCallback = atProvider(browser, first);
        String secondState = query(Browser.location(second)).get("state");

        // The first attempt's code with the second attempt's state (and so its verifier and nonce).
        HttpResponse<String> swapped = browser.get(withQuery(firstCallback, secondState, query(firstCallback).get("code")));

        assertThat(swapped.statusCode()).isEqualTo(400);
        assertThat(me(browser)).contains("user=-");
    }

    @Test
    void twoConcurrentAttemptsInOneBrowserBothComplete() {
        enqueue("alice-sub", email("alice@example.org", true));
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();
        HttpResponse<String> tabOne = start(browser, "/me?tab=one");
        HttpResponse<String> tabTwo = start(browser, "/me?tab=two");
        URI callbackOne = atProvider(browser, tabOne);
        URI callbackTwo = atProvider(browser, tabTwo);

        HttpResponse<String> two = browser.get(callbackTwo);
        HttpResponse<String> one = browser.get(callbackOne);

        assertThat(two.statusCode()).as(two.body()).isEqualTo(303);
        assertThat(Browser.location(two).toString()).endsWith("/me?tab=two");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(303);
        assertThat(Browser.location(one).toString()).endsWith("/me?tab=one");
        assertThat(me(browser)).contains("user=alice@example.org");
    }

    @Test
    void completedAttemptCannotBeReplayed() {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();
        URI callback = atProvider(browser, start(browser, "/me"));
        assertThat(browser.get(callback).statusCode()).isEqualTo(303);

        HttpResponse<String> replay = browser.get(callback);

        assertThat(replay.statusCode()).isEqualTo(400);
    }

    @Test
    void nonceOtherThanTheAttemptsIsRefused() {
        enqueue("alice-sub", List.of(CLIENT), Map.of("email", "alice@example.org", "nonce", "someone-elses-nonce"), 3600);
        Browser browser = new Browser();

        HttpResponse<String> callback = signIn(browser, "/me");

        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("could not confirm who you are");
        assertThat(identities.find(issuer, "alice-sub")).isEmpty();
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        enqueue("alice-sub", List.of(CLIENT), Map.of("email", "alice@example.org", "aud", "some-other-client"), 3600);
        Browser browser = new Browser();

        HttpResponse<String> callback = signIn(browser, "/me");

        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(me(browser)).contains("user=-");
    }

    @Test
    void tokenFromAnotherIssuerIsRefused() {
        enqueue("alice-sub", List.of(CLIENT), Map.of("email", "alice@example.org", "iss", "https://evil.example"), 3600);
        Browser browser = new Browser();

        HttpResponse<String> callback = signIn(browser, "/me");

        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(me(browser)).contains("user=-");
    }

    @Test
    void tokenExpiredOnTheInjectedClockIsRefused() {
        enqueue("alice-sub", List.of(CLIENT), email("alice@example.org", true), 60);
        Browser browser = new Browser();
        URI callback = atProvider(browser, start(browser, "/me"));

        clock.advance(Duration.ofMinutes(3)); // past exp + 60 s skew, within the attempt's 30 minutes
        HttpResponse<String> answer = browser.get(callback);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(me(browser)).contains("user=-");
    }

    @Test
    void keyRotatedAtTheProviderIsFetchedOnItsUnknownKid() throws Exception {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();
        assertThat(signIn(browser, "/me").statusCode()).isEqualTo(303);

        keys.rotate(key("key-2")); // a new key with a new kid; the old one is no longer published
        providerRequests();
        enqueue("alice-sub", email("alice@example.org", true));
        Browser again = new Browser();
        HttpResponse<String> callback = signIn(again, "/me");

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertThat(me(again)).contains("user=alice@example.org");
        assertThat(providerRequests()).extracting(RecordedRequest::getPath).anyMatch(p -> p.endsWith("/jwks"));
        
    }

    @Test
    void existingLocalAccountIsNeitherSignedInNorLinkedEvenWithVerifiedAddress() {
        auth.accounts().register(new Registration("alice@example.org", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "a");
        enqueue("attacker-sub", email("alice@example.org", true));
        enqueue("attacker-sub-2", email("alice@example.org", false));
        Browser attacker = new Browser();

        HttpResponse<String> verified = signIn(attacker, "/me");
        HttpResponse<String> unverified = signIn(attacker, "/me");

        assertThat(verified.statusCode()).isEqualTo(409);
        assertThat(verified.body()).contains("sign in with your password");
        assertThat(unverified.statusCode()).isEqualTo(409);
        assertThat(me(attacker)).contains("user=-");
        assertThat(identities.find(issuer, "attacker-sub")).isEmpty();
        assertThat(identities.find(issuer, "attacker-sub-2")).isEmpty();
    }

    @Test
    void sameAddressWithAnotherSubjectAsksForProof() {
        enqueue("alice-sub", email("alice@example.org", true));
        enqueue("mallory-sub", email("alice@example.org", true));
        assertThat(signIn(new Browser(), "/me").statusCode()).isEqualTo(303);

        Browser mallory = new Browser();
        HttpResponse<String> callback = signIn(mallory, "/me");

        assertThat(callback.statusCode()).isEqualTo(409);
        assertThat(me(mallory)).contains("user=-");
    }

    @Test
    void ownerSignsInWithPasswordThenLinksFromSettingsAndIsMailed() {
        auth.accounts().register(new Registration("alice@example.org", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "a");
        Browser browser = new Browser();
        HttpResponse<String> login = browser.post(app.resolve("/auth/login"),
                Map.of("email", "alice@example.org", "password", PASSWORD, "csrf_token", csrf(browser)));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        mails.clear();
        enqueue("alice-sub", email("alice@example.org", false));

        HttpResponse<String> link = browser.post(app.resolve("/auth/oidc/idp/link"), Map.of("csrf_token", csrf(browser)));
        assertThat(link.statusCode()).as(link.body()).isEqualTo(303);
        HttpResponse<String> back = browser.get(atProvider(browser, link));

        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(Browser.location(back)).isEqualTo(app.resolve("/me"));
        assertThat(identities.find(issuer, "alice-sub")).map(IdentityRecord::userId)
                .contains(auth.identities().linked(identities.find(issuer, "alice-sub").orElseThrow().userId())
                        .get(0).userId());
        assertThat(mails).contains(new AccountMail.IdentityLinked(EmailAddress.of("alice@example.org"), "Test IdP"));

        enqueue("alice-sub", email("alice@example.org", false));
        Browser elsewhere = new Browser();
        assertThat(signIn(elsewhere, "/me").statusCode()).isEqualTo(303);
        assertThat(me(elsewhere)).contains("user=alice@example.org");
    }

    @Test
    void linkWithoutCsrfTokenOrSessionIsRefused() {
        Browser browser = new Browser();

        HttpResponse<String> noToken = browser.post(app.resolve("/auth/oidc/idp/link"), Map.of());
        HttpResponse<String> anonymous = browser.post(app.resolve("/auth/oidc/idp/link"), Map.of("csrf_token", csrf(browser)));

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void lastWayInCannotBeUnlinked() {
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();
        assertThat(signIn(browser, "/me").statusCode()).isEqualTo(303);

        HttpResponse<String> unlink = browser.post(app.resolve("/auth/oidc/idp/unlink"),
                Map.of("subject", "alice-sub", "csrf_token", csrf(browser)));

        assertThat(unlink.statusCode()).isEqualTo(409);
        assertThat(unlink.body()).contains("last way to sign in");
        assertThat(identities.find(issuer, "alice-sub")).isPresent();
    }

    @Test
    void providerDownGivesAClearPageNotAnError() {
        provider.shutdown();
        Browser browser = new Browser();

        HttpResponse<String> started = browser.get(app.resolve("/auth/oidc/idp/start"));

        assertThat(started.statusCode()).isEqualTo(503);
        assertThat(started.body()).contains("Test IdP is not reachable").doesNotContain("Exception");
    }

    @Test
    void providerDownAtTheCallbackGivesAClearPage() throws Exception {
        Browser browser = new Browser();
        URI callback = atProvider(browser, start(browser, "/me"));
        provider.shutdown();

        HttpResponse<String> answer = browser.get(callback);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).doesNotContain("Exception");
    }

    @Test
    void providerErrorAndUnknownProviderAreClearPages() {
        Browser browser = new Browser();
        HttpResponse<String> started = start(browser, "/me");
        String state = query(Browser.location(started)).get("state");

        HttpResponse<String> denied = browser.get(app.resolve("/auth/oidc/idp/callback?state=" + state + "&error=access_denied"));
        HttpResponse<String> unknown = browser.get(app.resolve("/auth/oidc/nope/start"));

        assertThat(denied.statusCode()).isEqualTo(400);
        assertThat(denied.body()).contains("did not sign you in");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void enrolledSecondFactorContinuesAtTheCodeStepWhichFinishesTheSignInAndLandsOnNext() {
        RegistrationResult.Registered alice = (RegistrationResult.Registered) auth.accounts().register(
                new Registration("alice@example.org", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "a");
        assertThat(auth.identities().link(alice.session(), new VerifiedIdentity(issuer, "alice-sub", "Test IdP",
                java.util.Optional.of("alice@example.org"), false, java.util.Set.of(), false, List.of()), "a"))
                .isInstanceOf(LinkResult.Linked.class);
        String secret = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(alice.session(), "a"))
                .setup().secret();
        assertThat(auth.secondFactors().confirmEnrolment(alice.session(), TotpCodes.at(secret, clock.instant()), "a"))
                .isInstanceOf(EnrolmentResult.Enrolled.class);
        clock.advance(Duration.ofSeconds(30)); // the enrolment spent this step's code
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();

        HttpResponse<String> callback = signIn(browser, "/me?tab=security");

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        URI codeStep = Browser.location(callback);
        assertThat(codeStep.getPath()).isEqualTo("/login");
        assertThat(codeStep.getRawQuery()).isEqualTo("second-factor&next=%2Fme%3Ftab%3Dsecurity");
        assertThat(hasSessionCookie(browser)).as("no session before the code").isFalse();
        assertThat(browser.cookies.getCookieStore().getCookies()).extracting(HttpCookie::getName)
                .contains("portcullis_pending");
        assertThat(me(browser)).contains("user=-");
        String wrong = TotpCodes.at(secret, clock.instant()).equals("000000") ? "111111" : "000000";
        HttpResponse<String> refused = browser.post(app.resolve("/auth/login/mfa"),
                Map.of("code", wrong, "csrf_token", csrf(browser), "next", "/me?tab=security"));
        assertThat(refused.statusCode()).isNotEqualTo(303);
        assertThat(me(browser)).contains("user=-");

        HttpResponse<String> done = browser.post(app.resolve("/auth/login/mfa"), Map.of("code",
                TotpCodes.at(secret, clock.instant()), "csrf_token", csrf(browser), "next", "/me?tab=security"));

        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(Browser.location(done)).isEqualTo(app.resolve("/me?tab=security"));
        assertThat(me(browser)).contains("user=alice@example.org");
    }

    static String hiddenField(String html, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    @Test
    void ownerProvesTheAddressWithAMailedLinkThatWorksOnlyInTheBrowserThatAsked() {
        auth.accounts().register(new Registration("alice@example.org", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "a");
        enqueue("alice-sub", email("alice@example.org", true));
        enqueue("alice-sub", email("alice@example.org", true));
        Browser browser = new Browser();
        HttpResponse<String> refused = signIn(browser, "/me");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("E-mail me a link");

        HttpResponse<String> again = browser.post(app.resolve("/auth/oidc/idp/link-by-mail"),
                Map.of("csrf_token", hiddenField(refused.body(), "csrf_token"), "next", ""));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(303);
        HttpResponse<String> sent = browser.get(atProvider(browser, again));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("Check your mail");
        URI link = mails.stream().filter(m -> m instanceof AccountMail.ConfirmIdentityLink)
                .map(m -> ((AccountMail.ConfirmIdentityLink) m).link()).findFirst().orElseThrow();
        assertThat(link.getPath()).isEqualTo("/auth/oidc/idp/confirm-link");
        URI local = app.resolve(link.getRawPath() + "?" + link.getRawQuery());
        String token = query(local).get("token");

        // The mailbox's owner in another browser (or a link someone else asked for): nothing is linked.
        Browser elsewhere = new Browser();
        HttpResponse<String> form = elsewhere.get(local);
        assertThat(form.statusCode()).isEqualTo(200);
        HttpResponse<String> wrongBrowser = elsewhere.post(app.resolve("/auth/oidc/idp/confirm-link"),
                Map.of("token", token, "csrf_token", hiddenField(form.body(), "csrf_token")));
        assertThat(wrongBrowser.statusCode()).isEqualTo(400);
        assertThat(identities.find(issuer, "alice-sub")).isEmpty();
        assertThat(me(elsewhere)).contains("user=-");

        HttpResponse<String> confirm = browser.get(local);
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(identities.find(issuer, "alice-sub")).as("opening the link changes nothing").isEmpty();
        HttpResponse<String> linked = browser.post(app.resolve("/auth/oidc/idp/confirm-link"),
                Map.of("token", token, "csrf_token", hiddenField(confirm.body(), "csrf_token")));

        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(303);
        assertThat(Browser.location(linked)).isEqualTo(app.resolve("/me"));
        assertThat(me(browser)).contains("user=alice@example.org");
        assertThat(identities.find(issuer, "alice-sub")).isPresent();
        assertThat(mails).contains(new AccountMail.IdentityLinked(EmailAddress.of("alice@example.org"), "Test IdP"));
    }
}
