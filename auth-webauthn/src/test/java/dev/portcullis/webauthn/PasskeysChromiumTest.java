package dev.portcullis.webauthn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryPasskeyChallengeStore;
import dev.portcullis.memory.InMemoryPasskeyStore;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.RawPassword;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.session.LoginResult;
import dev.portcullis.servlet.AuthConfig;
import dev.portcullis.servlet.AuthEndpointsServlet;
import dev.portcullis.servlet.AuthFilter;
import dev.portcullis.servlet.PasskeyEndpointsServlet;
import dev.portcullis.servlet.WebAuth;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.StoredPasskey;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * The passkey ceremonies end to end: Debian Chromium (system chromedriver, never a download) with
 * Selenium's virtual authenticator, against PasskeyEndpointsServlet and passkeys.js behind
 * AuthFilter on embedded Jetty, with a strict CSP (script-src 'self'). The relying party is
 * {@code localhost} (a secure context over plain HTTP).
 */
class PasskeysChromiumTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";

    static Server server;
    static int port;
    static WebDriver driver;
    static final InMemoryPasskeyStore PASSKEYS = new InMemoryPasskeyStore();
    static final InMemoryPasskeyChallengeStore CHALLENGES = new InMemoryPasskeyChallengeStore();
    static final List<AccountMail> MAILS = new CopyOnWriteArrayList<>();
    static final List<AuthEvent> EVENTS = new CopyOnWriteArrayList<>();
    static Portcullis auth;
    static int users;

    VirtualAuthenticator authenticator;

    @BeforeAll
    static void start() throws Exception {
        driver = chromium();
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 3);
        Stores stores = InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(),
                new InMemoryPendingSignInStore());
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        server.setHandler((Handler) contexts);
        server.start();
        port = connector.getLocalPort();
        auth = portcullis(stores, key, "http://localhost:" + port);
        // The same accounts and passkeys, with a relying party configured for another origin.
        Portcullis elsewhere = portcullis(stores, key, "https://localhost");
        // The origin names the port, known only once the server listens: the contexts join then.
        for (ServletContextHandler c : List.of(context("/other", elsewhere), context("/", auth))) {
            contexts.addHandler(c);
            c.start();
        }
    }

    static Portcullis portcullis(Stores stores, byte[] key, String origin) {
        return Portcullis.builder().stores(stores).secondFactorKey(key).passwordHasher(new TestHasher())
                .mail(MailSettings.of(MAILS::add, AccountLinks.of(URI.create("http://localhost:" + port)))
                        .withExecutor(Runnable::run))
                .eventListener(EVENTS::add)
                .passkeys(PasskeySettings.builder().rpId("localhost").rpName("Portcullis test").origin(origin)
                        .stores(PASSKEYS, CHALLENGES).verifier(new Webauthn4jVerifier()).build())
                .build();
    }

    static ServletContextHandler context(String path, Portcullis portcullis) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(path);
        FilterHolder filter = new FilterHolder(new AuthFilter(portcullis, AuthConfig.builder().build()));
        context.addFilter(filter, "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));
        context.addServlet(new ServletHolder(new AuthEndpointsServlet()), "/auth/*");
        context.addServlet(new ServletHolder(new PasskeyEndpointsServlet()), "/auth/passkeys/*");
        context.addServlet(new ServletHolder(new Page()), "/page");
        context.addServlet(new ServletHolder(new SignUp(portcullis)), "/test/sign-up");
        context.addServlet(new ServletHolder(new WhoAmI()), "/whoami");
        return context;
    }

    static WebDriver chromium() throws IOException {
        Path chromium = Path.of(System.getenv().getOrDefault("PORTCULLIS_TEST_CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getenv().getOrDefault("PORTCULLIS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
        boolean installed = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        String reason = "passkey browser tests need " + chromium + " and " + chromedriver
                + " (apt-get install chromium chromium-driver, or set PORTCULLIS_TEST_CHROMIUM / PORTCULLIS_TEST_CHROMEDRIVER)";
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail(reason);
        }
        assumeTrue(installed, reason);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("portcullis-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return d;
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void removeAuthenticator() {
        if (authenticator != null) {
            ((HasVirtualAuthenticator) driver).removeVirtualAuthenticator(authenticator);
        }
        driver.manage().deleteAllCookies();
    }

    /** A platform authenticator; without {@code userVerified} it cannot verify its user (no PIN, no biometrics). */
    VirtualAuthenticator authenticator(boolean userVerified) {
        authenticator = ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(userVerified).setIsUserVerified(userVerified)
                .setIsUserConsenting(true));
        return authenticator;
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A new account, signed in in the browser (its session is fresh). */
    String signUp() {
        String email = "user" + (++users) + "-" + System.nanoTime() + "@example.com";
        driver.get(url("/test/sign-up?email=" + email));
        assertThat(driver.getPageSource()).contains("signed-up");
        return email;
    }

    String whoAmI() {
        driver.get(url("/whoami"));
        return driver.findElement(By.tagName("body")).getText();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> js(String body, Object... args) {
        return (Map<String, Object>) script(body, args);
    }

    Object script(String body, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript("var done = arguments[arguments.length - 1];" + body,
                args);
    }

    /** Runs a PortcullisPasskeys call and answers its resolved body, or {code} of its failure. */
    Map<String, Object> passkeys(String call, Object... args) {
        return js("window.PortcullisPasskeys." + call + ".then(function (b) { done(b); },"
                + " function (e) { done({failed: e.code || e.name, message: e.message}); });", args);
    }

    void registerPasskey(String name) {
        driver.get(url("/page"));
        Map<String, Object> r = passkeys("register(arguments[0])", name);
        assertThat(r).containsEntry("status", "passkey_added");
    }

    @Test
    void registerWithTheButtonThenSignInWithoutUsername() {
        authenticator(true);
        String email = signUp();
        driver.get(url("/page"));
        driver.findElement(By.name("passkey-name")).sendKeys("Test laptop");
        driver.findElement(By.id("add-passkey")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d ->
                !d.findElement(By.id("status")).getText().isEmpty());
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("passkey_added");
        List<StoredPasskey> mine = auth.passkeys().list(SignUp.SESSIONS.get(email)).orElseThrow().stream()
                .map(p -> PASSKEYS.find(p.id()).orElseThrow()).toList();
        assertThat(mine).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("Test laptop");
            assertThat(p.transports()).contains("internal");
        });
        assertThat(MAILS).anyMatch(m -> m instanceof AccountMail.PasskeyAdded a && a.to().display().equals(email));

        driver.manage().deleteAllCookies();
        assertThat(whoAmI()).isEqualTo("anonymous");
        driver.get(url("/page"));
        Map<String, Object> in = passkeys("signIn(null)");
        assertThat(in).containsEntry("status", "logged_in").containsEntry("multiFactor", true);
        assertThat(whoAmI()).isEqualTo(email);
    }

    @Test
    void aPasskeyIsTheSecondFactorOfAPasswordSignIn() {
        authenticator(true);
        String email = signUp();
        registerPasskey("Second factor");
        String secret = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(SignUp.SESSIONS.get(email),
                "127.0.0.1")).setup().secret();
        assertThat(auth.secondFactors().confirmEnrolment(SignUp.SESSIONS.get(email),
                TestTotp.code(secret, java.time.Instant.now()), "127.0.0.1"))
                .isInstanceOf(dev.portcullis.mfa.EnrolmentResult.Enrolled.class);
        driver.manage().deleteAllCookies();
        LoginResult login = auth.sessions().login(new Credentials(email, RawPassword.of(PASSWORD)), "127.0.0.1");
        assertThat(login).isInstanceOf(LoginResult.SecondFactorRequired.class);
        String handle = ((LoginResult.SecondFactorRequired) login).handle();

        driver.get(url("/page"));
        Map<String, Object> in = passkeys("signIn(arguments[0])", handle);
        assertThat(in).containsEntry("status", "logged_in").containsEntry("multiFactor", true);
        assertThat(whoAmI()).isEqualTo(email);
        // The pending sign-in is spent.
        driver.get(url("/page"));
        assertThat(passkeys("signIn(arguments[0])", handle)).containsEntry("failed", "sign_in_expired");
    }

    @Test
    void aPasskeyAnswersThePendingSignInThatAPasswordLoginKeptInItsCookie() {
        authenticator(true);
        String email = signUp();
        registerPasskey("From the cookie");
        String secret = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(SignUp.SESSIONS.get(email),
                "127.0.0.1")).setup().secret();
        assertThat(auth.secondFactors().confirmEnrolment(SignUp.SESSIONS.get(email),
                TestTotp.code(secret, java.time.Instant.now()), "127.0.0.1"))
                .isInstanceOf(dev.portcullis.mfa.EnrolmentResult.Enrolled.class);
        driver.manage().deleteAllCookies();
        driver.get(url("/page"));
        // The password step through AuthEndpointsServlet: the handle goes into an HttpOnly cookie,
        // which the page's script cannot read; secondFactor() lets the server take it from there.
        Map<String, Object> login = js("""
                fetch('/auth/csrf').then(function (x) { return x.json(); }).then(function (c) {
                  return fetch('/auth/login', {method: 'POST', headers: {'Content-Type': 'application/json',
                    'X-CSRF-Token': c.csrfToken}, body: JSON.stringify({email: arguments[0], password: arguments[1]})});
                }).then(function (x) { return x.json().then(function (j) { j.httpStatus = x.status; done(j); }); });
                """.replace("arguments[0]", "'" + email + "'").replace("arguments[1]", "'" + PASSWORD + "'"));
        assertThat(login).containsEntry("httpStatus", 401L).containsEntry("error", "mfa_required");
        assertThat(driver.manage().getCookies()).anyMatch(c -> c.getName().endsWith("portcullis_pending") && c.isHttpOnly());
        assertThat(whoAmI()).isEqualTo("anonymous");

        driver.get(url("/page"));
        assertThat(passkeys("secondFactor()")).containsEntry("status", "logged_in").containsEntry("multiFactor", true);
        assertThat(whoAmI()).isEqualTo(email);
        assertThat(driver.manage().getCookies()).noneMatch(c -> c.getName().endsWith("portcullis_pending"));
        // Without a pending sign-in there is nothing to answer.
        driver.get(url("/page"));
        assertThat(passkeys("secondFactor()")).containsEntry("failed", "sign_in_expired");
    }

    @Test
    void withoutUserVerificationTheServerRefuses() {
        authenticator(false);
        signUp();
        driver.get(url("/page"));
        // A client that asks the authenticator not to verify (the options say "required").
        Map<String, Object> r = js("""
                var csrf;
                fetch('/auth/csrf').then(function (x) { return x.json(); }).then(function (c) {
                  csrf = c;
                  return fetch('/auth/passkeys/registration/options', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': c.csrfToken}, body: '{}'});
                }).then(function (x) { return x.json(); }).then(function (o) {
                  var p = o.publicKey, P = window.PortcullisPasskeys;
                  var challenge = p.challenge;
                  p.challenge = P.fromBase64url(p.challenge);
                  p.user.id = P.fromBase64url(p.user.id);
                  p.authenticatorSelection.userVerification = 'discouraged';
                  return navigator.credentials.create({publicKey: p}).then(function (cred) {
                    return fetch('/auth/passkeys/registration', {method: 'POST',
                      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf.csrfToken},
                      body: JSON.stringify({challenge: challenge, id: cred.id, name: 'no uv',
                        clientDataJSON: P.toBase64url(cred.response.clientDataJSON),
                        attestationObject: P.toBase64url(cred.response.attestationObject), transports: ''})});
                  });
                }).then(function (x) { return x.json().then(function (j) { j.httpStatus = x.status; done(j); }); },
                        function (e) { done({failed: e.name, message: e.message}); });
                """);
        assertThat(r).containsEntry("error", "passkey_refused").containsEntry("httpStatus", 400L);
    }

    @Test
    void aReplayedAssertionIsRefused() {
        authenticator(true);
        String email = signUp();
        registerPasskey("Replay");
        driver.manage().deleteAllCookies();
        driver.get(url("/page"));
        Map<String, Object> r = js("""
                var csrf, P = window.PortcullisPasskeys;
                function post(path, body) {
                  return fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json',
                    'X-CSRF-Token': csrf.csrfToken}, body: JSON.stringify(body)}).then(function (x) { return x.status; });
                }
                fetch('/auth/csrf').then(function (x) { return x.json(); }).then(function (c) {
                  csrf = c;
                  return fetch('/auth/passkeys/authentication/options', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': c.csrfToken}, body: '{}'});
                }).then(function (x) { return x.json(); }).then(function (o) {
                  var p = o.publicKey, challenge = p.challenge;
                  p.challenge = P.fromBase64url(p.challenge);
                  return navigator.credentials.get({publicKey: p}).then(function (cred) {
                    var body = {challenge: challenge, id: cred.id,
                      clientDataJSON: P.toBase64url(cred.response.clientDataJSON),
                      authenticatorData: P.toBase64url(cred.response.authenticatorData),
                      signature: P.toBase64url(cred.response.signature),
                      userHandle: P.toBase64url(cred.response.userHandle)};
                    return post('/auth/passkeys/authentication', body).then(function (first) {
                      return fetch('/auth/csrf').then(function (x) { return x.json(); }).then(function (c2) {
                        csrf = c2;
                        return post('/auth/passkeys/authentication', body).then(function (second) {
                          done({first: first, second: second});
                        });
                      });
                    });
                  });
                }).catch(function (e) { done({failed: e.name, message: e.message}); });
                """);
        assertThat(r).containsEntry("first", 200L).containsEntry("second", 400L);
        assertThat(whoAmI()).isEqualTo(email);
    }

    @Test
    void aCredentialReimportedWithALowerCounterIsRefusedAndReported() {
        VirtualAuthenticator va = authenticator(true);
        String email = signUp();
        registerPasskey("Cloned");
        for (int i = 0; i < 2; i++) {
            driver.manage().deleteAllCookies();
            driver.get(url("/page"));
            assertThat(passkeys("signIn(null)")).containsEntry("status", "logged_in");
        }
        Credential original = va.getCredentials().get(0);
        StoredPasskey stored = PASSKEYS.find(java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(original.getId())).orElseThrow();
        assertThat(stored.signCount()).isGreaterThanOrEqualTo(2);
        va.removeCredential(original.getId());
        va.addCredential(Credential.createResidentCredential(original.getId(), "localhost", original.getPrivateKey(),
                original.getUserHandle(), 0));

        driver.manage().deleteAllCookies();
        driver.get(url("/page"));
        assertThat(passkeys("signIn(null)")).containsEntry("failed", "passkey_refused");
        assertThat(whoAmI()).isEqualTo("anonymous");
        assertThat(EVENTS).anyMatch(e -> e.type() == AuthEventType.PASSKEY_CLONE_SUSPECTED);
        assertThat(MAILS).anyMatch(m -> m instanceof AccountMail.PasskeyCloneSuspected c
                && c.to().display().equals(email));
    }

    @Test
    void anOriginTheRelyingPartyDoesNotListIsRefused() {
        authenticator(true);
        signUp();
        registerPasskey("Origin");
        driver.manage().deleteAllCookies();
        // Same accounts and passkeys; that deployment expects https://localhost.
        driver.get(url("/other/page"));
        assertThat(passkeys("signIn(null)")).containsEntry("failed", "passkey_refused");
    }

    @Test
    void deletingAPasskey() {
        authenticator(true);
        String email = signUp();
        registerPasskey("To delete");
        driver.get(url("/page"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) script(
                "window.PortcullisPasskeys.list().then(function (l) { done(l); });");
        assertThat(list).singleElement().satisfies(p -> assertThat(p).containsEntry("name", "To delete"));
        String id = (String) list.get(0).get("id");
        assertThat(passkeys("rename(arguments[0], 'Renamed')", id)).containsEntry("status", "passkey_changed");
        assertThat(PASSKEYS.find(id).orElseThrow().name()).isEqualTo("Renamed");
        assertThat(passkeys("remove(arguments[0])", id)).containsEntry("status", "passkey_changed");
        assertThat(PASSKEYS.find(id)).isEmpty();
        assertThat(MAILS).anyMatch(m -> m instanceof AccountMail.PasskeyRemoved r && r.to().display().equals(email));
        // Its credential no longer signs in.
        driver.manage().deleteAllCookies();
        driver.get(url("/page"));
        assertThat(passkeys("signIn(null)")).containsEntry("failed", "passkey_refused");
    }

    @Test
    void badInputIsAClear4xx() {
        authenticator(true);
        signUp();
        driver.get(url("/page"));
        Map<String, Object> r = js("""
                var out = {};
                function post(path, body, type) {
                  return fetch('/auth/csrf').then(function (x) { return x.json(); }).then(function (c) {
                    return fetch(path, {method: 'POST', headers: {'Content-Type': type || 'application/json',
                      'X-CSRF-Token': c.csrfToken}, body: body});
                  }).then(function (x) { return x.json().then(function (j) { return x.status + ' ' + j.error; }); });
                }
                function options() {
                  return fetch('/auth/csrf').then(function (x) { return x.json(); }).then(function (c) {
                    return fetch('/auth/passkeys/authentication/options', {method: 'POST',
                      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': c.csrfToken}, body: '{}'});
                  }).then(function (x) { return x.json(); }).then(function (o) { return o.publicKey.challenge; });
                }
                post('/auth/passkeys/authentication', '{"challenge": ').then(function (s) { out.malformed = s;
                  return post('/auth/passkeys/authentication', 'x=1', 'text/plain'); }).then(function (s) { out.type = s;
                  return post('/auth/passkeys/authentication', JSON.stringify({pad: 'A'.repeat(70000)}));
                }).then(function (s) { out.huge = s; return options(); }).then(function (ch) {
                  return post('/auth/passkeys/authentication', JSON.stringify({challenge: ch, id: 'AAAAAAAA',
                    clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA'}));
                }).then(function (s) { out.unknown = s; return options(); }).then(function (ch) {
                  return post('/auth/passkeys/authentication', JSON.stringify({challenge: ch, id: 'AAAAAAAA',
                    clientDataJSON: 'A'.repeat(20000), authenticatorData: 'AAAA', signature: 'AAAA'}));
                }).then(function (s) { out.oversizedClientData = s;
                  return post('/auth/passkeys/authentication', JSON.stringify({challenge: 'bm90LWEtY2hhbGxlbmdlLWF0LWFsbA',
                    id: 'AAAAAAAA', clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA'}));
                }).then(function (s) { out.wrongChallenge = s;
                  return post('/auth/passkeys/authentication', JSON.stringify({challenge: 7}));
                }).then(function (s) { out.notAString = s; done(out); })
                  .catch(function (e) { done({failed: e.name, message: e.message}); });
                """);
        assertThat(r).containsEntry("malformed", "400 malformed_request")
                .containsEntry("type", "415 unsupported_media_type")
                .containsEntry("huge", "413 too_large")
                .containsEntry("unknown", "401 passkey_refused")
                .containsEntry("oversizedClientData", "422 invalid_input")
                .containsEntry("wrongChallenge", "400 invalid_challenge")
                .containsEntry("notAString", "400 malformed_request");
    }

    /** A page with the passkey script and buttons, under a strict CSP (no inline script). */
    static final class Page extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Content-Security-Policy", CSP);
            response.setContentType("text/html; charset=utf-8");
            String base = request.getContextPath();
            response.getWriter().write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Passkeys</title>"
                    + "<script src=\"" + base + "/auth/passkeys/passkeys.js\" data-csrf-url=\"" + base
                    + "/auth/csrf\" defer></script></head><body>"
                    + "<input name=\"passkey-name\" data-passkey-name>"
                    + "<button id=\"add-passkey\" data-passkey-action=\"register\">Add a passkey</button>"
                    + "<button id=\"sign-in\" data-passkey-action=\"sign-in\">Sign in with a passkey</button>"
                    + "<p id=\"status\" data-passkey-status></p></body></html>");
        }
    }

    /** GET: creates an account with a password, signs the browser in, optionally enrols TOTP. */
    static final class SignUp extends HttpServlet {
        static final Map<String, dev.portcullis.model.SessionToken> SESSIONS = new ConcurrentHashMap<>();
        private final Portcullis portcullis;

        SignUp(Portcullis portcullis) {
            this.portcullis = portcullis;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String email = request.getParameter("email");
            RegistrationResult.Registered r = (RegistrationResult.Registered) portcullis.accounts().register(
                    new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "127.0.0.1");
            WebAuth.of(request, response).startSession(r.user(), r.session());
            SESSIONS.put(email, r.session());
            response.setContentType("text/plain");
            response.getWriter().write("signed-up");
        }
    }

    /** The signed-in user's email, or "anonymous". */
    static final class WhoAmI extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write(WebAuth.of(request, response).currentUser().map(u -> u.email().display())
                    .orElse("anonymous"));
        }
    }
}
