package dev.portcullis.servlet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Tomcat examples web app (unmodified code and pages, from Maven Central), protected by the
 * bootstrap from {@code web.xml} and a properties file alone (see {@link ExamplesApp}), driven in
 * headless Chromium. One subclass per container.
 */
abstract class AbstractWrappedExamplesTest {

    static final String PASSWORD = "correct horse battery staple";

    /** Deploys {@code webapp} at each context path, serving HTTP on {@code port}. */
    abstract void deploy(Path webapp, List<String> contextPaths, int port) throws Exception;

    /** Stops and removes one web app, leaving the server running. */
    abstract void undeploy(String contextPath) throws Exception;

    abstract void stopServer() throws Exception;

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    WebDriver driver;
    String base;

    /** Deploys the wrapped app; the mail settings are the test's own additions to the guide's. */
    int deploy(List<String> contextPaths) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, String> mail = new LinkedHashMap<>();
        mail.put("portcullis.base-url", "http://127.0.0.1:" + port + contextPaths.get(0));
        mail.put("portcullis.smtp.host", "127.0.0.1");
        mail.put("portcullis.smtp.port", String.valueOf(SMTP.getSmtp().getPort()));
        mail.put("portcullis.smtp.security", "none");
        mail.put("portcullis.smtp.from", "examples@example.com");
        deploy(ExamplesApp.prepare(mail), contextPaths, port);
        return port;
    }

    /** The verification link mailed to {@code email}. */
    String verificationLink(String email) throws Exception {
        assertThat(SMTP.waitForIncomingEmail(10_000, 1)).isTrue();
        for (MimeMessage m : SMTP.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(email)) {
                Matcher link = Pattern.compile("(http://\\S+/auth/verify-email\\?token=[A-Za-z0-9_%-]+)")
                        .matcher(GreenMailUtil.getBody(m).replace("=\r\n", "").replace("=3D", "="));
                assertThat(link.find()).isTrue();
                return link.group(1);
            }
        }
        throw new AssertionError("no mail to " + email);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        stopServer();
    }

    @Test
    void unmodifiedExamplesAppIsProtectedByConfigurationAlone() throws Exception {
        driver = Chromium.start();
        int port = deploy(List.of("/examples"));
        base = "http://127.0.0.1:" + port + "/examples";
        String admin = "admin@example.com";

        // Anonymous: the protected servlet sends the browser to the default login page.
        driver.get(base + "/servlets/servlet/SessionExample");
        assertThat(driver.getCurrentUrl()).startsWith(base + "/auth/login?next=");
        assertThat(h1()).isEqualTo("Log in");

        // Register (the address gets role1 from portcullis.roles.role1), back to the page asked for.
        driver.findElement(By.linkText("Create an account")).click();
        assertThat(h1()).isEqualTo("Create an account");
        fill("email", admin);
        fill("password", PASSWORD);
        fill("confirm_password", PASSWORD);
        submit("button[type=submit]");
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/servlets/servlet/SessionExample");

        // The app's own POST form, which has no CSRF field: accepted on an origin-only path.
        fill("dataname", "colour");
        fill("datavalue", "blue");
        submit("form[method=POST] input[type=submit]");
        assertThat(driver.getPageSource()).contains("colour = blue");

        // Verify the address with the mailed link (the default verify page), so that role1 is granted at the next sign-in.
        driver.get(verificationLink(admin));
        assertThat(h1()).isEqualTo("Verify your email address");
        submit("button[type=submit]");
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/auth/login?email-verified");

        // The default logout page: a confirmation with a POST button.
        driver.get(base + "/auth/logout");
        assertThat(h1()).isEqualTo("Log out");
        submit("button[type=submit]");
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/auth/login?logged-out");
        assertThat(driver.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("You are logged out.");

        // Log in again through the default page.
        driver.get(base + "/jsp/security/protected/index.jsp");
        assertThat(driver.getCurrentUrl()).startsWith(base + "/auth/login?next=");
        fill("email", admin);
        fill("password", "wrong password");
        submit("button[type=submit]");
        assertThat(driver.findElement(By.cssSelector("[role=alert]")).getText()).isEqualTo("Incorrect email or password.");
        assertThat(driver.findElement(By.id("email")).getAttribute("value")).isEqualTo(admin);
        fill("password", PASSWORD);
        submit("button[type=submit]");
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/jsp/security/protected/index.jsp");

        // The app's own JSP shows getRemoteUser() and isUserInRole() answered by Portcullis.
        driver.get(base + "/jsp/security/protected/index.jsp?role=role1");
        assertThat(driver.getPageSource()).contains("You are logged in as remote user").contains("<b>" + admin + "</b>")
                .contains("You have been granted role");

        // The app's own logout (session.invalidate()) ends the Portcullis session.
        driver.get(base + "/jsp/security/protected/index.jsp?logoff=true");
        driver.get(base + "/servlets/servlet/SessionExample");
        assertThat(driver.getCurrentUrl()).startsWith(base + "/auth/login?next=");

        // Another account, without role1: the role-protected area answers 403.
        driver.get(base + "/auth/register");
        fill("email", "user-" + UUID.randomUUID() + "@example.com");
        fill("password", PASSWORD);
        fill("confirm_password", PASSWORD);
        submit("button[type=submit]");
        driver.get(base + "/jsp/security/protected/index.jsp");
        assertThat(driver.getPageSource()).contains("Forbidden: your account lacks the role this page requires.");

        // Undeploy: no thread of this app's Portcullis (pool, hashing, mail) is left.
        undeploy("/examples");
        assertThat(portcullisThreads()).isEmpty();
    }

    @Test
    void twoWrappedAppsOnOneServerKeepSeparateSessions() throws Exception {
        driver = Chromium.start();
        int port = deploy(List.of("/one", "/two"));
        String one = "http://127.0.0.1:" + port + "/one";
        String two = "http://127.0.0.1:" + port + "/two";
        String email = "both-" + UUID.randomUUID() + "@example.com";

        driver.get(one + "/auth/register");
        fill("email", email);
        fill("password", PASSWORD);
        fill("confirm_password", PASSWORD);
        submit("button[type=submit]");
        driver.get(one + "/servlets/servlet/SessionExample");
        assertThat(driver.getCurrentUrl()).isEqualTo(one + "/servlets/servlet/SessionExample");

        // The second app has its own cookies: not logged in there, and logging in there keeps the first.
        driver.get(two + "/servlets/servlet/SessionExample");
        assertThat(driver.getCurrentUrl()).startsWith(two + "/auth/login?next=");
        driver.get(two + "/auth/register");
        fill("email", "two-" + email);
        fill("password", PASSWORD);
        fill("confirm_password", PASSWORD);
        submit("button[type=submit]");
        driver.get(two + "/jsp/security/protected/index.jsp");
        assertThat(driver.getPageSource()).contains("Forbidden");
        driver.get(one + "/servlets/servlet/SessionExample");
        assertThat(driver.getCurrentUrl()).isEqualTo(one + "/servlets/servlet/SessionExample");
    }

    /** Clicks a submit button and waits until the browser has left the page (the next page is loaded). */
    void submit(String css) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(By.cssSelector(css)).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> isGone(page));
    }

    /**
     * Whether the old page's element is gone. While the document is being replaced, ChromeDriver
     * sometimes answers "Node with given id does not belong to the document" (an unknown error)
     * instead of a stale-element error: the same fact, so it counts as gone.
     */
    private static boolean isGone(WebElement oldPage) {
        try {
            oldPage.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    String h1() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    void fill(String name, String value) {
        var field = driver.findElement(By.name(name));
        field.clear();
        field.sendKeys(value);
    }

    static List<String> portcullisThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.toLowerCase(Locale.ROOT).contains("portcullis")).sorted().toList();
    }
}
