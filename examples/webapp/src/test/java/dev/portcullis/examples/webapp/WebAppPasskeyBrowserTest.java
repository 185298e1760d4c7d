package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.account.RegistrationMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * The app's passkey pages in a real headless Chromium with Selenium's virtual authenticator (a
 * platform authenticator that verifies its user, with discoverable credentials), against the real
 * app on H2 with real SMTP, under the app's strict CSP: "Add a passkey" on /mfa, "Sign in with a
 * passkey" and the autofill (conditional mediation) on /login, rename and delete from the list.
 */
class WebAppPasskeyBrowserTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    final String dbUrl = "jdbc:h2:mem:webapp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    final String clientAddress = "10." + ThreadLocalRandom.current().nextInt(256) + "."
            + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(1, 255);
    RunningApp app;
    WebDriver browser;
    VirtualAuthenticator authenticator;
    /** The CDP id of the script that hides the autofill from the page (see {@link #start()}). */
    String withoutAutofill;

    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = context -> {
        if (browser != null && context.getExecutionException().isPresent()) {
            String name = "FAILED-" + context.getRequiredTestMethod().getName();
            Chromium.screenshot(browser, name);
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "screenshots", name + ".html"),
                    browser.getPageSource());
        }
    };

    @BeforeEach
    void start() throws Exception {
        browser = Chromium.start();
        // Behind a trusted proxy with an address of its own, so no other run's throttle counters count here.
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, dbUrl, "", "",
                Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1"));
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("X-Forwarded-For", clientAddress)));
        // Chromium's virtual authenticator answers a conditional request (the login page's autofill)
        // at once, with no user gesture, so on /login the autofill would sign in before any button is
        // clicked. Each page therefore first sees a browser without conditional mediation (as
        // browsers without passkey autofill are), except in the autofill test, which drops this.
        Object added = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "if (window.PublicKeyCredential) { PublicKeyCredential.isConditionalMediationAvailable ="
                        + " function () { return Promise.resolve(false); }; }"));
        withoutAutofill = (String) ((Map<?, ?>) added).get("identifier");
        authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    void open(String path) {
        browser.get(app.uri(path).toString());
    }

    void type(String id, String text) {
        browser.findElement(By.id(id)).clear();
        browser.findElement(By.id(id)).sendKeys(text);
    }

    /** Clicks something that navigates (a form post, or a ceremony that ends in a redirect) and waits for the next page. */
    void click(WebElement element) {
        Chromium.clickAndAwaitNextPage(browser, element);
    }

    void click(String id) {
        click(browser.findElement(By.id(id)));
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    String path() {
        return URI.create(browser.getCurrentUrl()).getPath();
    }

    /** The outcome code the passkey script put on the status line, once it has one. */
    String passkeyStatus() {
        WebElement status = browser.findElement(By.id("passkey-status"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> status.getAttribute("data-code") != null);
        return status.getAttribute("data-code");
    }

    String register() {
        String email = "pk-" + UUID.randomUUID() + "@example.com";
        open("/register");
        type("email", email);
        type("password", PASSWORD);
        type("confirm_password", PASSWORD);
        click("register-submit");
        assertThat(text("who")).isEqualTo(email);
        return email;
    }

    void addPasskey(String name) {
        open("/mfa");
        type("passkey-name", name);
        // The script adds it and reloads /mfa (data-passkey-redirect).
        click("passkey-add");
        assertThat(path()).isEqualTo("/mfa");
    }

    List<String> passkeyNames() {
        return browser.findElements(By.cssSelector("#passkey-list td.passkey-name")).stream()
                .map(WebElement::getText).toList();
    }

    void logOut() {
        click("nav-logout");
        assertThat(browser.findElements(By.id("nav-login"))).isNotEmpty();
    }

    @Test
    void addAPasskeyOnMfaThenSignInWithoutUsernameOnLogin() throws Exception {
        String email = register();
        open("/profile");
        click("profile-mfa");
        assertThat(path()).isEqualTo("/mfa");
        assertThat(text("no-passkeys")).isEqualTo("No passkeys yet.");
        Chromium.screenshot(browser, "mfa-empty");

        addPasskey("Work laptop");
        assertThat(passkeyNames()).containsExactly("Work laptop");
        assertThat(browser.findElements(By.id("no-passkeys"))).isEmpty();
        assertThat(authenticator.getCredentials()).singleElement().satisfies(c -> assertThat(c.isResidentCredential()).isTrue());
        assertThat(app.awaitMailTo(email, "Work laptop")).contains("added");
        Chromium.screenshot(browser, "mfa-passkey");

        logOut();
        open("/login");
        assertThat(browser.findElement(By.id("email")).getAttribute("autocomplete")).isEqualTo("username webauthn");
        Chromium.screenshot(browser, "login-passkey");
        // Usernameless: nothing typed, the authenticator offers the account's discoverable credential.
        click("passkey-sign-in");
        assertThat(path()).isEqualTo("/");
        assertThat(text("who")).isEqualTo(email);
        open("/mfa");
        assertThat(browser.findElement(By.cssSelector("#passkey-list tbody tr")).getText()).doesNotContain("never");
    }

    @Test
    void theEmailFieldsAutofillSignsInWithAPasskey() {
        String email = register();
        addPasskey("Autofill");
        logOut();
        ((ChromeDriver) browser).executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                Map.of("identifier", withoutAutofill));
        // No click: the only request that runs on its own is the conditional one the script starts
        // on load for the field marked autocomplete="username webauthn", which Chromium's virtual
        // authenticator answers as a user picking the passkey from the autofill would. The sign-in
        // then follows the field's data-passkey-redirect (here the login's next).
        open("/login?next=/profile");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> path().equals("/profile"));
        assertThat(text("profile-email")).isEqualTo(email);
    }

    @Test
    void renameAndDeleteFromTheList() throws Exception {
        String email = register();
        addPasskey("Old name");
        WebElement rename = browser.findElement(By.cssSelector("form.passkey-rename input[name=name]"));
        rename.clear();
        rename.sendKeys("Phone");
        click(browser.findElement(By.cssSelector("form.passkey-rename button")));
        assertThat(text("flash")).isEqualTo("Passkey renamed.");
        assertThat(passkeyNames()).containsExactly("Phone");

        click(browser.findElement(By.cssSelector("form.passkey-delete button")));
        assertThat(text("flash")).isEqualTo("Passkey deleted. It no longer signs in to this account.");
        assertThat(text("no-passkeys")).isEqualTo("No passkeys yet.");
        assertThat(app.awaitMailTo(email, "Phone")).contains("removed");

        // The authenticator still holds the credential; the site no longer knows it.
        assertThat(authenticator.getCredentials()).hasSize(1);
        logOut();
        open("/login");
        browser.findElement(By.id("passkey-sign-in")).click();
        assertThat(passkeyStatus()).isEqualTo("passkey_refused");
        assertThat(text("passkey-status")).isEqualTo("That passkey was not accepted. Try again, or sign in another way.");
        assertThat(browser.findElements(By.id("nav-login"))).isNotEmpty();
    }

    @Test
    void aPasswordAndAPasskeyWithoutAnAuthenticatorAppEachSignInAlone() {
        String email = register();
        addPasskey("Laptop");
        logOut();
        // The password alone still signs in: the account has no second factor it must use.
        open("/login");
        type("email", email);
        type("password", PASSWORD);
        click("login-submit");
        assertThat(text("who")).isEqualTo(email);
        logOut();
        // And the passkey alone.
        open("/login");
        click("passkey-sign-in");
        assertThat(text("who")).isEqualTo(email);
    }

    /** A plain HTTP client with the browser's cookies and address, to read statuses the browser hides. */
    Http asTheBrowser() {
        Http http = new Http(app);
        http.headers.put("X-Forwarded-For", clientAddress);
        browser.manage().getCookies().forEach(c -> http.cookies.put(c.getName(), c.getValue()));
        return http;
    }

    @Test
    void theLastPasskeyOfAnAccountWithoutAPasswordIsKept() throws Exception {
        String email = register();
        addPasskey("Only way in");
        // What an account created by a federated sign-in has: no usable password.
        try (Connection c = DriverManager.getConnection(dbUrl);
             PreparedStatement update = c.prepareStatement(
                     "UPDATE portcullis_users SET password_hash = '!federated' WHERE email = ?")) {
            update.setString(1, email);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        String id = browser.findElement(By.cssSelector("#passkey-list tbody tr")).getAttribute("data-passkey-id");

        Http http = asTheBrowser();
        HttpResponse<String> form = http.submit("/mfa", "/mfa/passkeys/delete", Map.of("id", id));
        assertThat(form.statusCode()).isEqualTo(409);
        assertThat(form.body()).contains("This is the only way into your account: add another passkey or set a password first.");
        String csrf = Http.csrfFrom(http.get("/mfa").body());
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(app.uri("/auth/passkeys/delete"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")));
        assertThat(json.statusCode()).isEqualTo(409);
        assertThat(json.body()).contains("\"error\":\"last_credential\"");

        open("/mfa");
        click(browser.findElement(By.cssSelector("form.passkey-delete button")));
        assertThat(text("passkey-error")).startsWith("This is the only way into your account");
        assertThat(passkeyNames()).containsExactly("Only way in");

        // It still signs in, alone.
        logOut();
        open("/login");
        click("passkey-sign-in");
        assertThat(text("who")).isEqualTo(email);
    }

    @Test
    void addingAPasskeyNeedsARecentSignIn() {
        register();
        open("/mfa");
        app.clock.advance(Duration.ofMinutes(11));
        type("passkey-name", "Too late");
        browser.findElement(By.id("passkey-add")).click();
        assertThat(passkeyStatus()).isEqualTo("reauthentication_required");
        assertThat(text("passkey-status")).isEqualTo("For your security, confirm it is you: sign in again to continue.");
        assertThat(authenticator.getCredentials()).isEmpty();
    }
}
