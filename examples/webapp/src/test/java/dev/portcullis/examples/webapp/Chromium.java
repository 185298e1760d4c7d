package dev.portcullis.examples.webapp;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by the system chromedriver — never a downloaded browser or
 * driver. Paths come from {@code PORTCULLIS_TEST_CHROMIUM} and {@code PORTCULLIS_TEST_CHROMEDRIVER}
 * (defaults {@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}). Without them the browser
 * tests are skipped with that reason, except under {@code CI=true}, where that is a failure.
 */
final class Chromium {

    private Chromium() {
    }

    static WebDriver start() {
        Path chromium = Path.of(System.getenv().getOrDefault("PORTCULLIS_TEST_CHROMIUM", "/usr/bin/chromium"));
        Path driver = Path.of(System.getenv().getOrDefault("PORTCULLIS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
        boolean installed = Files.isExecutable(chromium) && Files.isExecutable(driver);
        String reason = "Chromium browser tests need " + chromium + " and " + driver
                + " (apt-get install chromium chromium-driver, or set PORTCULLIS_TEST_CHROMIUM / PORTCULLIS_TEST_CHROMEDRIVER)";
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail(reason);
        }
        assumeTrue(installed, reason);
        try {
            Path profile = Files.createTempDirectory("portcullis-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1100,900", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a PNG of the current page under {@code target/screenshots/}. */
    /**
     * Clicks something that navigates (a form post, or a passkey ceremony that ends in a redirect)
     * and waits until the next page has replaced this one and finished loading. The old page's root
     * going stale means the next page replaced it; Chromium sometimes reports "node does not belong
     * to the document" instead of staleness, which means the same.
     */
    static void clickAndAwaitNextPage(WebDriver browser, WebElement element) {
        WebElement before = browser.findElement(By.tagName("html"));
        element.click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            try {
                before.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(
                d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    static Path screenshot(WebDriver driver, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
