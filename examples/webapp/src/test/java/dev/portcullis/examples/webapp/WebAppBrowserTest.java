package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The tutorial's flows in a real headless Chromium, against the real app on H2 with real SMTP. */
class WebAppBrowserTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String NEW_PASSWORD = "quiet orange bicycle harbour";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;
    WebDriver browser;

    /** On failure, a screenshot and the HTML of what the browser showed (before @AfterEach quits it). */
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
        browser = Chromium.start();
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE);
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

    /** Clicks something that navigates, and waits until the next page has replaced this one. */
    void click(String id) {
        Chromium.clickAndAwaitNextPage(browser, browser.findElement(By.id(id)));
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    String page() {
        return browser.findElement(By.tagName("body")).getText();
    }

    void register(String email, String password, String confirm) {
        open("/register");
        type("email", email);
        type("password", password);
        type("confirm_password", confirm);
        click("register-submit");
    }

    void login(String email, String password) {
        type("email", email);
        type("password", password);
        click("login-submit");
    }

    @Test
    void registerLogoutLoginWithNextProfileChangePasswordOldPasswordFails() {
        open("/");
        Chromium.screenshot(browser, "home");
        register("ada@example.com", PASSWORD, PASSWORD);
        assertThat(text("who")).isEqualTo("ada@example.com");
        assertThat(text("flash")).contains("Welcome!");
        Chromium.screenshot(browser, "registered");

        click("nav-logout");
        assertThat(text("flash")).isEqualTo("You are logged out.");

        open("/profile");
        assertThat(browser.getCurrentUrl()).contains("/login?next=");
        Chromium.screenshot(browser, "login");
        login("ada@example.com", PASSWORD);
        assertThat(URI.create(browser.getCurrentUrl()).getPath()).isEqualTo("/profile");
        assertThat(text("profile-email")).isEqualTo("ada@example.com");
        assertThat(text("sessions")).contains("this session");
        Chromium.screenshot(browser, "profile");

        open("/password");
        type("current_password", PASSWORD);
        type("new_password", NEW_PASSWORD);
        type("confirm_password", NEW_PASSWORD);
        click("password-submit");
        assertThat(text("flash")).contains("Your password was changed.");

        click("nav-logout");
        open("/login");
        login("ada@example.com", PASSWORD);
        assertThat(text("form-error")).isEqualTo("Incorrect email or password.");
        login("ada@example.com", NEW_PASSWORD);
        assertThat(text("who")).isEqualTo("ada@example.com");
    }

    @Test
    void duplicateEmailAndMismatchedConfirmationAreShownOnTheForm() {
        register("bea@example.com", PASSWORD, PASSWORD);
        click("nav-logout");

        register("Bea@Example.com", PASSWORD, PASSWORD);
        assertThat(page()).contains("An account with this email address already exists.");
        assertThat(browser.findElement(By.id("email")).getAttribute("value")).isEqualTo("Bea@Example.com");

        register("cid@example.com", PASSWORD, PASSWORD + "!");
        assertThat(page()).contains("The passwords do not match.");
        Chromium.screenshot(browser, "register-errors");
    }

    @Test
    void wrongPasswordGetsTheGenericMessage() {
        register("dee@example.com", PASSWORD, PASSWORD);
        click("nav-logout");
        open("/login");
        login("dee@example.com", "not the password at all");
        assertThat(text("form-error")).isEqualTo("Incorrect email or password.");
        login("nobody@example.com", "not the password at all");
        assertThat(text("form-error")).isEqualTo("Incorrect email or password.");
    }

    @Test
    void rememberMeSurvivesANewBrowserSession() {
        register("eve@example.com", PASSWORD, PASSWORD);
        click("nav-logout");
        open("/login");
        type("email", "eve@example.com");
        type("password", PASSWORD);
        browser.findElement(By.id("remember_me")).click();
        click("login-submit");
        Optional<Cookie> remember = browser.manage().getCookies().stream()
                .filter(c -> c.getName().endsWith("portcullis_remember")).findFirst();
        assertThat(remember).as("a persistent remember-me cookie").isPresent();
        assertThat(remember.get().getExpiry()).isNotNull();
        assertThat(remember.get().isHttpOnly()).isTrue();
        browser.quit();

        browser = Chromium.start();
        open("/");
        assertThat(page()).contains("Welcome");
        browser.manage().addCookie(new Cookie(remember.get().getName(), remember.get().getValue(), "/"));
        open("/profile");
        assertThat(text("profile-email")).isEqualTo("eve@example.com");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRejected() {
        open("/login");
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelector('input[name=csrf_token]').remove();");
        login("fox@example.com", PASSWORD);
        assertThat(page()).containsIgnoringCase("csrf");
        assertThat(page()).doesNotContain("Exception", "at dev.portcullis");
    }

    @Test
    void passwordResetThroughTheMailedLink() throws Exception {
        register("gil@example.com", PASSWORD, PASSWORD);
        click("nav-logout");
        open("/forgot-password");
        Chromium.screenshot(browser, "forgot-password");
        type("email", "gil@example.com");
        click("forgot-submit");
        assertThat(text("flash")).contains("If an account exists for that address");

        URI link = app.linkIn(app.mailText(2)).orElseThrow();
        browser.get(link.toString());
        type("password", NEW_PASSWORD);
        type("confirm_password", NEW_PASSWORD);
        Chromium.screenshot(browser, "reset-password");
        click("reset-submit");
        assertThat(text("flash")).contains("Your password was reset.");
        login("gil@example.com", NEW_PASSWORD);
        assertThat(text("who")).isEqualTo("gil@example.com");
    }
}
