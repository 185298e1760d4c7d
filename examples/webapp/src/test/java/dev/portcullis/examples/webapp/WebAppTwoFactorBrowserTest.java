package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.account.RegistrationMode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two-factor sign-in in a real headless Chromium, against the real app (H2, SMTP): enrolment with
 * the code computed from what the page shows (the QR code is read back from a screenshot, as a
 * phone would), sign-in with a code and with a recovery code, a replayed code refused, step-up
 * before a password change, and no way around the code through a remember-me cookie.
 */
class WebAppTwoFactorBrowserTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String NEW_PASSWORD = "quiet orange bicycle harbour";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

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
        browser = Chromium.start();
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of());
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

    String path() {
        return URI.create(browser.getCurrentUrl()).getPath();
    }

    String register() {
        String email = "chromium-" + UUID.randomUUID() + "@example.com";
        open("/register");
        type("email", email);
        type("password", PASSWORD);
        type("confirm_password", PASSWORD);
        click("register-submit");
        assertThat(text("who")).isEqualTo(email);
        return email;
    }

    void passwordStep(String email, boolean rememberMe) {
        open("/login?next=/profile");
        type("email", email);
        type("password", PASSWORD);
        if (rememberMe) {
            browser.findElement(By.id("remember_me")).click();
        }
        click("login-submit");
    }

    void logOut() {
        click("nav-logout");
        assertThat(browser.findElements(By.id("nav-login"))).isNotEmpty();
    }

    record Enrolled(String secret, List<String> recoveryCodes) {
    }

    /** From /mfa: sets up the authenticator app as a user would, reading the page. */
    Enrolled enrol() throws Exception {
        open("/mfa");
        assertThat(text("totp-status")).contains("off");
        click("totp-setup-link");
        String secret = text("totp-secret");
        String uri = text("totp-uri");
        assertThat(uri).startsWith("otpauth://totp/Portcullis:").contains("secret=" + secret, "issuer=Portcullis");
        assertThat(qrCodeOnThePage()).as("what a phone reads from the picture").isEqualTo(uri);
        type("code", TestTotp.code(secret, app.clock.instant()));
        click("totp-submit");
        List<String> codes = browser.findElements(By.cssSelector("ol#recovery-codes > li")).stream()
                .map(WebElement::getText).toList();
        assertThat(codes).hasSize(10).allSatisfy(c -> assertThat(c).matches("[a-z2-7]{5}-[a-z2-7]{5}"));
        click("recovery-continue");
        assertThat(text("totp-status")).contains("on");
        app.clock.advance(Duration.ofSeconds(30)); // the enrolment's code counts as used
        return new Enrolled(secret, codes);
    }

    /** Screenshots the inline SVG as the browser drew it and decodes it with ZXing. */
    String qrCodeOnThePage() throws Exception {
        WebElement svg = browser.findElement(By.cssSelector("svg#totp-qr"));
        assertThat(browser.findElements(By.cssSelector("img"))).as("no image: the QR code is inline markup").isEmpty();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(svg.getScreenshotAs(OutputType.BYTES)));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        RGBLuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }

    @Test
    void enrolThenSignInWithACodeAndRefuseTheSameCodeAgain() throws Exception {
        String email = register();
        Enrolled enrolled = enrol();
        logOut();

        passwordStep(email, false);
        assertThat(path()).isEqualTo("/login/mfa");
        assertThat(browser.findElements(By.id("nav-profile"))).as("not signed in before the code").isEmpty();
        String code = TestTotp.code(enrolled.secret(), app.clock.instant());
        type("code", code);
        click("code-submit");
        assertThat(path()).as("on to next").isEqualTo("/profile");
        assertThat(text("profile-email")).isEqualTo(email);
        logOut();

        passwordStep(email, false);
        type("code", code);
        click("code-submit");
        assertThat(path()).isEqualTo("/login/mfa");
        assertThat(text("form-error")).contains("not right, or was already used");
        assertThat(browser.findElements(By.id("nav-profile"))).isEmpty();

        app.clock.advance(Duration.ofSeconds(30));
        type("code", TestTotp.code(enrolled.secret(), app.clock.instant()));
        click("code-submit");
        assertThat(text("profile-email")).isEqualTo(email);
    }

    @Test
    void aRecoveryCodeSignsInOnceWhateverItsCaseAndSpacing() throws Exception {
        String email = register();
        Enrolled enrolled = enrol();
        logOut();
        String recovery = enrolled.recoveryCodes().get(4);

        passwordStep(email, false);
        type("code", " " + recovery.toUpperCase().replace("-", " ") + " ");
        click("code-submit");
        assertThat(text("profile-email")).isEqualTo(email);
        open("/mfa");
        assertThat(text("recovery-codes-left")).isEqualTo("9");
        logOut();

        passwordStep(email, false);
        type("code", recovery);
        click("code-submit");
        assertThat(path()).isEqualTo("/login/mfa");
        assertThat(text("form-error")).contains("not right, or was already used");
    }

    @Test
    void aPasswordChangeAfterTheStepUpWindowAsksForThePasswordAndACodeFirst() throws Exception {
        register();
        Enrolled enrolled = enrol();
        app.clock.advance(Duration.ofMinutes(11)); // past the default step-up window of 10 minutes

        open("/profile");
        browser.findElement(By.linkText("Change password")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> path().equals("/reauth"));
        assertThat(browser.getCurrentUrl()).contains("next=%2Fpassword");
        type("password", PASSWORD);
        type("code", "000000");
        click("reauth-submit");
        assertThat(path()).isEqualTo("/reauth");
        assertThat(text("form-error")).contains("not right");

        type("password", PASSWORD);
        type("code", TestTotp.code(enrolled.secret(), app.clock.instant()));
        click("reauth-submit");
        assertThat(path()).as("back where the user was going").isEqualTo("/password");
        assertThat(text("flash")).contains("You can continue");
        type("current_password", PASSWORD);
        type("new_password", NEW_PASSWORD);
        type("confirm_password", NEW_PASSWORD);
        click("password-submit");
        assertThat(path()).isEqualTo("/profile");
        assertThat(text("flash")).contains("Your password was changed");
    }

    @Test
    void aRememberMeCookieIssuedBeforeTheEnrolmentNoLongerSignsInWithoutTheCode() throws Exception {
        String email = register();
        logOut();
        passwordStep(email, true);
        Cookie before = rememberCookie().orElseThrow();
        Enrolled enrolled = enrol();

        browser.quit();
        browser = Chromium.start();
        open("/");
        browser.manage().addCookie(new Cookie(before.getName(), before.getValue(), "/"));
        open("/profile");
        assertThat(path()).as("the old cookie is refused: log in with password and code").isEqualTo("/login");
        assertThat(browser.findElements(By.id("profile-email"))).isEmpty();

        passwordStep(email, true);
        type("code", TestTotp.code(enrolled.secret(), app.clock.instant()));
        click("code-submit");
        assertThat(text("profile-email")).isEqualTo(email);
        Cookie after = rememberCookie().orElseThrow();
        assertThat(after.getValue()).isNotEqualTo(before.getValue());

        browser.quit();
        browser = Chromium.start();
        open("/");
        browser.manage().addCookie(new Cookie(after.getName(), after.getValue(), "/"));
        open("/profile");
        assertThat(text("profile-email")).as("a cookie issued after both factors resumes").isEqualTo(email);
    }

    Optional<Cookie> rememberCookie() {
        return browser.manage().getCookies().stream().filter(c -> c.getName().endsWith("portcullis_remember")).findFirst();
    }
}
