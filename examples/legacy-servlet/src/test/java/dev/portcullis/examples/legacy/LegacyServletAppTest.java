package dev.portcullis.examples.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The unchanged servlets of the legacy app see the logged-in user, secured through web.xml alone, on Tomcat 11. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyServletAppTest {

    private static final String PASSWORD = "correct-horse-battery-staple-42";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    private LegacyServletApp app;

    @BeforeAll
    void start() throws Exception {
        app = LegacyServletApp.start(0, Path.of("src/main/webapp"));
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    /** Keeps cookies, never follows redirects. */
    private final class Client {
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
            String body = form.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        String csrf(String page) throws IOException, InterruptedException {
            Matcher m = CSRF.matcher(get(page).body());
            assertThat(m.find()).isTrue();
            return m.group(1);
        }

        private URI uri(String path) {
            return URI.create("http://localhost:" + app.port() + path);
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
            if (!cookies.isEmpty()) {
                b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String c : r.headers().allValues("Set-Cookie")) {
                String pair = c.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                if (c.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, pair.substring(pair.indexOf('=') + 1));
                }
            }
            return r;
        }
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        Client c = new Client();
        HttpResponse<String> r = c.get("/reports");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("/login?next=%2Freports");
        assertThat(c.get("/").body()).contains("Welcome, guest");
    }

    @Test
    void theAppsOwnServletsSeeTheUserAfterSignUpAndStopSeeingThemAfterLogout() throws Exception {
        Client c = new Client();
        HttpResponse<String> signUp = c.post("/auth/register", Map.of("email", "carol@example.com", "password", PASSWORD,
                "confirmPassword", PASSWORD, "next", "/reports/q3", "csrf_token", c.csrf("/register")));
        assertThat(signUp.statusCode()).isEqualTo(303);
        assertThat(signUp.headers().firstValue("Location")).contains("/reports/q3");

        HttpResponse<String> report = c.get("/reports/q3");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("Quarterly report prepared for carol@example.com.")
                .contains("Principal: carol@example.com").contains("Manager view: false");
        assertThat(c.get("/").body()).contains("Welcome back, carol@example.com.");
        assertThat(c.get("/admin").statusCode()).isEqualTo(403);

        HttpResponse<String> logout = c.post("/auth/logout", Map.of("csrf_token", c.csrf("/logout")));
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).contains("/login?logged-out");
        assertThat(c.get("/reports/q3").statusCode()).isEqualTo(302);
    }

    @Test
    void rolesGrantedInPortcullisReachIsUserInRole() throws Exception {
        Client c = new Client();
        c.post("/auth/register", Map.of("email", "dave@example.com", "password", PASSWORD, "confirmPassword", PASSWORD,
                "csrf_token", c.csrf("/register")));
        var id = app.portcullis().sessions().currentUser(dev.portcullis.model.SessionToken.parse(c.cookies.get("portcullis_session")).orElseThrow())
                .orElseThrow().id();
        app.portcullis().accounts().setRoles(id, Set.of("admin", "manager"));

        HttpResponse<String> admin = c.get("/admin");
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("Administration for dave@example.com (admin=true)");
        assertThat(c.get("/reports").body()).contains("Manager view: true");
    }

    @Test
    void aFailedLoginIsShownOnTheLoginPageWithoutLeakingWhichPartWasWrong() throws Exception {
        Client c = new Client();
        HttpResponse<String> r = c.post("/auth/login", Map.of("email", "nobody@example.com", "password", "not-the-password-at-all",
                "csrf_token", c.csrf("/login")));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Incorrect email or password.").contains("value=\"nobody@example.com\"");
        assertThat(c.post("/auth/login", Map.of("email", "x@example.com", "password", "y")).statusCode()).isEqualTo(403);
    }
}
