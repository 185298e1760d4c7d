package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.account.RegistrationMode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * "Sign in with …" in the example app, configured from environment variables only
 * (PORTCULLIS_OIDC_TESTIDP_*), against a real OpenID provider in this JVM (mock-oauth2-server with
 * its interactive login page): the whole redirect flow in headless Chromium under the app's strict
 * CSP, and linking and unlinking from the settings page over HTTP.
 */
class WebAppOidcTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    MockOAuth2Server provider;
    RunningApp app;
    WebDriver browser;

    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = context -> {
        if (browser != null && context.getExecutionException().isPresent()) {
            String name = "FAILED-" + context.getRequiredTestMethod().getName();
            Chromium.screenshot(browser, name);
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "screenshots", name + ".html"), browser.getPageSource());
        }
    };

    @BeforeEach
    void start() throws Exception {
        // interactiveLogin: the provider shows its own sign-in form (user name and claims as JSON).
        provider = new MockOAuth2Server(new OAuth2Config(true, null, null, false, new OAuth2TokenProvider()));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of(
                "PORTCULLIS_OIDC_TESTIDP_ISSUER", provider.issuerUrl("idp").toString(),
                "PORTCULLIS_OIDC_TESTIDP_CLIENT_ID", "demo-app",
                "PORTCULLIS_OIDC_TESTIDP_CLIENT_SECRET", "demo-secret",
                "PORTCULLIS_OIDC_TESTIDP_DISPLAY_NAME", "Test IdP"));
        // ID tokens carry the provider's real time, and Nimbus checks them against the system clock
        // as well as the app's: the two clocks must agree.
        app.clock.set(java.time.Instant.now());
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    static String randomEmail(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    static String claims(String email) {
        return "{\"email\":\"" + email + "\",\"email_verified\":true}";
    }

    @Test
    void chromiumSignsInWithTheProviderFromTheLoginPageAndLandsOnNext() {
        browser = Chromium.start();
        String email = randomEmail("ada");
        browser.get(app.uri("/profile").toString());
        assertThat(browser.getCurrentUrl()).contains("/login?next=");

        browser.findElement(By.id("oidc-testidp")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.name("username")).isEmpty());
        assertThat(URI.create(browser.getCurrentUrl()).getPort()).as("at the provider").isEqualTo(provider.baseUrl().port());
        Chromium.screenshot(browser, "oidc-provider-login");
        browser.findElement(By.name("username")).sendKeys("ada-subject");
        browser.findElement(By.name("claims")).sendKeys(claims(email));
        browser.findElement(By.cssSelector("input[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("profile-email")).isEmpty());

        assertThat(URI.create(browser.getCurrentUrl()).getPath()).isEqualTo("/profile");
        assertThat(browser.findElement(By.id("profile-email")).getText()).isEqualTo(email);
        assertThat(browser.findElement(By.id("linked-identities")).getText()).contains("Test IdP").contains(email)
                .contains("Your only way to sign in");
        assertThat(browser.findElements(By.id("unlink-testidp"))).as("the last way in offers no unlink").isEmpty();
        Chromium.screenshot(browser, "oidc-signed-in-profile");
    }

    /** The provider's interactive login, over HTTP: its form posted, its redirect back answered. */
    URI atProvider(URI authorize, String subject, String email) throws Exception {
        Http idp = new Http(authorize);
        HttpResponse<String> form = idp.get(authorize.toString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"username\"");
        HttpResponse<String> back = idp.post(authorize.toString(), Map.of("username", subject, "claims", claims(email)));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        return URI.create(back.headers().firstValue("Location").orElseThrow());
    }

    static URI location(HttpResponse<String> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError(response.statusCode() + " " + response.body())));
    }

    @Test
    void aPasswordAccountLinksTheProviderFromSettingsIsMailedAndUnlinksIt() throws Exception {
        String email = randomEmail("bea");
        Http http = new Http(app);
        assertThat(http.submit("/register", "/register", Map.of("email", email, "password", PASSWORD,
                "confirm_password", PASSWORD)).statusCode()).isEqualTo(303);
        String settings = http.get("/profile").body();
        assertThat(settings).contains("action=\"/auth/oidc/testidp/link\"").contains("Link Test IdP");
        assertThat(settings).contains("id=\"profile-change-password\"").doesNotContain("id=\"profile-set-password\"");

        HttpResponse<String> link = http.post("/auth/oidc/testidp/link", Map.of("csrf_token", Http.csrfFrom(settings)));
        assertThat(link.statusCode()).as(link.body()).isEqualTo(303);
        URI callback = atProvider(location(link), "bea-subject", email);
        HttpResponse<String> back = http.get(callback.getRawPath() + "?" + callback.getRawQuery());

        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(location(back).getPath()).isEqualTo("/profile");
        String linked = http.get("/profile").body();
        assertThat(linked).contains("id=\"unlink-testidp\"").doesNotContain("Link Test IdP");
        assertThat(app.mailTextTo(email)).contains("Test IdP");

        HttpResponse<String> unlink = http.post("/auth/oidc/testidp/unlink", Map.of("csrf_token", Http.csrfFrom(linked),
                "subject", "bea-subject"));

        assertThat(unlink.statusCode()).as(unlink.body()).isEqualTo(303);
        assertThat(http.get("/profile").body()).doesNotContain("id=\"unlink-testidp\"").contains("Link Test IdP");
        assertThat(app.app.portcullis().identities().linked(
                app.app.portcullis().sessions().currentUser(new dev.portcullis.model.SessionToken(
                        http.cookies.get("portcullis_session"))).orElseThrow().id())).isEmpty();
    }

    @Test
    void anAccountWhoseOnlyWayInIsTheProviderCannotUnlinkIt() throws Exception {
        String email = randomEmail("cid");
        Http http = new Http(app);
        HttpResponse<String> started = http.get("/auth/oidc/testidp/start");
        assertThat(started.statusCode()).isEqualTo(303);
        URI callback = atProvider(location(started), "cid-subject", email);
        HttpResponse<String> back = http.get(callback.getRawPath() + "?" + callback.getRawQuery());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        String settings = http.get("/profile").body();
        assertThat(settings).contains(email).contains("Your only way to sign in").doesNotContain("id=\"unlink-testidp\"");
        assertThat(settings).as("no password to change: it is offered one instead")
                .contains("id=\"profile-set-password\"").doesNotContain("id=\"profile-change-password\"");

        HttpResponse<String> unlink = http.post("/auth/oidc/testidp/unlink", Map.of("csrf_token", Http.csrfFrom(settings),
                "subject", "cid-subject"));

        assertThat(unlink.statusCode()).isEqualTo(409);
        assertThat(unlink.body()).contains("last way to sign in");
        assertThat(http.get("/profile").body()).contains("Your only way to sign in");
    }

    @Test
    void anUnknownProviderAndAForgedCallbackAreClearPagesNotErrors() throws Exception {
        Http http = new Http(app);

        HttpResponse<String> unknown = http.get("/auth/oidc/nope/start");
        HttpResponse<String> forged = http.get("/auth/oidc/testidp/callback?state=forged&code=x");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).doesNotContain("Exception");
    }

    @Test
    void theOwnerOfAnAddressProvesItByTheMailedLinkInTheSameBrowser() throws Exception {
        String email = randomEmail("dee");
        Http registered = new Http(app);
        assertThat(registered.submit("/register", "/register", Map.of("email", email, "password", PASSWORD,
                "confirm_password", PASSWORD)).statusCode()).isEqualTo(303);
        Http http = new Http(app); // elsewhere, without the password at hand
        HttpResponse<String> started = http.get("/auth/oidc/testidp/start");
        URI callback = atProvider(location(started), "dee-subject", email);
        HttpResponse<String> refused = http.get(callback.getRawPath() + "?" + callback.getRawQuery());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("E-mail me a link");

        HttpResponse<String> again = http.post("/auth/oidc/testidp/link-by-mail",
                Map.of("csrf_token", Http.csrfFrom(refused.body()), "next", ""));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(303);
        URI back = atProvider(location(again), "dee-subject", email);
        HttpResponse<String> sent = http.get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("Check your mail");

        java.util.regex.Matcher link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(app.base.toString())
                + "(/auth/oidc/testidp/confirm-link\\?token=[A-Za-z0-9_%-]+)").matcher(app.mailTextTo(email));
        assertThat(link.find()).as("the mailed link").isTrue();
        HttpResponse<String> form = http.get(link.group(1));
        assertThat(form.statusCode()).isEqualTo(200);
        String token = java.net.URLDecoder.decode(link.group(1).substring(link.group(1).indexOf("token=") + 6),
                java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> confirmed = http.post("/auth/oidc/testidp/confirm-link",
                Map.of("token", token, "csrf_token", Http.csrfFrom(form.body())));

        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(303);
        assertThat(location(confirmed).getPath()).isEqualTo("/profile");
        String settings = http.get("/profile").body();
        assertThat(settings).contains(email).contains("id=\"unlink-testidp\"");
    }

    @Test
    void anEnrolledAccountSigningInWithTheProviderContinuesAtTheCodeStepAndLandsOnNext() throws Exception {
        String email = randomEmail("eve");
        Http first = new Http(app);
        HttpResponse<String> started = first.get("/auth/oidc/testidp/start");
        URI callback = atProvider(location(started), "eve-subject", email);
        assertThat(first.get(callback.getRawPath() + "?" + callback.getRawQuery()).statusCode()).isEqualTo(303);
        // Signed in a moment ago by the provider: fresh enough to add an authenticator app.
        HttpResponse<String> setup = first.get("/mfa/totp");
        assertThat(setup.statusCode()).as(setup.body()).isEqualTo(200);
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(setup.body());
        assertThat(secret.find()).as(setup.body()).isTrue();
        HttpResponse<String> enrolled = first.post("/mfa/totp", Map.of("code",
                TestTotp.code(secret.group(1), app.clock.instant()), "csrf_token", Http.csrfFrom(setup.body())));
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
        app.clock.advance(Duration.ofSeconds(30)); // the enrolment's code counts as used

        Http http = new Http(app); // another browser
        HttpResponse<String> again = http.get("/auth/oidc/testidp/start?next=%2Fprofile");
        URI back = atProvider(location(again), "eve-subject", email);
        HttpResponse<String> codeStep = http.get(back.getRawPath() + "?" + back.getRawQuery());

        assertThat(codeStep.statusCode()).as(codeStep.body()).isEqualTo(303);
        assertThat(location(codeStep).getRawQuery()).contains("second-factor");
        assertThat(http.cookies).containsKey("portcullis_pending").doesNotContainKey("portcullis_session");
        HttpResponse<String> page = http.get(location(codeStep).getRawPath() + "?" + location(codeStep).getRawQuery());
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(location(page).getPath()).as("the app's code step").isEqualTo("/login/mfa");
        assertThat(http.get("/profile").statusCode()).as("no session before the code").isEqualTo(302);

        HttpResponse<String> done = http.submit("/login/mfa?next=%2Fprofile", "/login/mfa", Map.of(
                "code", TestTotp.code(secret.group(1), app.clock.instant()), "next", "/profile"));

        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(location(done).getPath()).isEqualTo("/profile");
        assertThat(http.get("/profile").body()).contains(email);
    }
}
