package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSON API of the example app, as a script would use it (no cookies). */
class WebAppApiTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE);
        new Http(app).submit("/register", "/register", Map.of("email", "api@example.com", "password", PASSWORD,
                "confirm_password", PASSWORD));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HttpResponse<String> json(String method, String path, Object body) throws Exception {
        return client.send(HttpRequest.newBuilder(app.uri(path)).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> me(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(app.uri("/api/me")).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensFromCredentialsOpenApiMeAndRefreshRotates() throws Exception {
        HttpResponse<String> issued = json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", PASSWORD));
        assertThat(issued.statusCode()).isEqualTo(200);
        JsonNode pair = JSON.readTree(issued.body());
        assertThat(pair.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(pair.get("expires_in").asInt()).isEqualTo(600);
        assertThat(issued.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> me = me(pair.get("access_token").asText());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(me.body()).get("email").asText()).isEqualTo("api@example.com");
        assertThat(JSON.readTree(me.body()).get("id").asText()).isNotBlank();
        assertThat(me.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> refreshed = json("POST", "/api/tokens/refresh", Map.of("refresh_token", pair.get("refresh_token").asText()));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        String newRefresh = JSON.readTree(refreshed.body()).get("refresh_token").asText();
        assertThat(newRefresh).isNotEqualTo(pair.get("refresh_token").asText());

        HttpResponse<String> reuse = json("POST", "/api/tokens/refresh", Map.of("refresh_token", pair.get("refresh_token").asText()));
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(reuse.body()).get("error").asText()).isNotBlank();
        assertThat(json("POST", "/api/tokens/refresh", Map.of("refresh_token", newRefresh)).statusCode())
                .as("reuse revoked the whole family").isEqualTo(400);
    }

    @Test
    void deleteRevokesTheFamily() throws Exception {
        JsonNode pair = JSON.readTree(json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", PASSWORD)).body());
        assertThat(json("DELETE", "/api/tokens", Map.of("refresh_token", pair.get("refresh_token").asText())).statusCode()).isEqualTo(200);
        assertThat(json("POST", "/api/tokens/refresh", Map.of("refresh_token", pair.get("refresh_token").asText())).statusCode()).isEqualTo(400);
    }

    @Test
    void errorsAreJsonWithTheRightStatus() throws Exception {
        HttpResponse<String> wrong = json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", "wrong wrong wrong"));
        HttpResponse<String> unknown = json("POST", "/api/tokens", Map.of("email", "nobody@example.com", "password", "wrong wrong wrong"));
        assertThat(wrong.statusCode()).isEqualTo(401).isEqualTo(unknown.statusCode());
        assertThat(JSON.readTree(wrong.body()).get("message").asText()).isEqualTo(JSON.readTree(unknown.body()).get("message").asText());
        assertThat(json("POST", "/api/tokens", Map.of("email", "", "password", "")).statusCode()).isEqualTo(400);
        HttpResponse<String> garbage = client.send(HttpRequest.newBuilder(app.uri("/api/tokens")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(garbage.body()).has("error")).isTrue();
        for (int i = 0; i < 5; i++) {
            json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", "wrong wrong wrong"));
        }
        HttpResponse<String> throttled = json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", PASSWORD));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void apiMeRefusesMissingAndBadTokens() throws Exception {
        HttpResponse<String> none = client.send(HttpRequest.newBuilder(app.uri("/api/me")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> bad = me("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }

    @Test
    void aBearerTokenCannotDriveTheBrowserUi() throws Exception {
        String access = JSON.readTree(json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", PASSWORD))
                .body()).get("access_token").asText();
        HttpResponse<String> mint = client.send(HttpRequest.newBuilder(app.uri("/profile/tokens"))
                .header("Authorization", "Bearer " + access).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=stolen")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(mint.statusCode()).as("pages and forms do not accept bearer tokens").isIn(302, 401, 403);
        assertThat(mint.body()).doesNotContain("pcl_");
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(app.uri("/profile"))
                .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
    }

    @Test
    void jwksPublishesOnlyPublicKeys() throws Exception {
        HttpResponse<String> jwks = client.send(HttpRequest.newBuilder(app.uri("/.well-known/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(jwks.statusCode()).isEqualTo(200);
        JsonNode key = JSON.readTree(jwks.body()).get("keys").get(0);
        assertThat(key.get("kty").asText()).isEqualTo("RSA");
        assertThat(key.has("d")).isFalse();
        assertThat(key.has("p")).isFalse();
    }

    @Test
    void aPersonalAccessTokenFromTheProfileWorksOnApiMeUntilRevoked() throws Exception {
        Http browser = new Http(app);
        browser.submit("/login", "/login", Map.of("email", "api@example.com", "password", PASSWORD));
        HttpResponse<String> created = browser.submit("/profile", "/profile/tokens", Map.of("name", "laptop script"));
        assertThat(created.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("id=\"new-token\">(pcl_[A-Za-z0-9_-]+)<").matcher(created.body());
        assertThat(m.find()).isTrue();
        String pat = m.group(1);

        assertThat(me(pat).statusCode()).isEqualTo(200);
        String profile = browser.get("/profile").body();
        assertThat(profile).contains("laptop script").doesNotContain(pat);
        Matcher id = Pattern.compile("name=\"id\" value=\"([^\"]+)\"").matcher(profile);
        assertThat(id.find()).isTrue();
        browser.submit("/profile", "/profile/tokens/revoke", Map.of("id", id.group(1)));
        assertThat(me(pat).statusCode()).isEqualTo(401);
    }

    // ---- issue 12, item 9: strict mode ------------------------------------------------------

    String accessToken(String password) throws Exception {
        HttpResponse<String> issued = json("POST", "/api/tokens", Map.of("email", "api@example.com", "password", password));
        assertThat(issued.statusCode()).isEqualTo(200);
        return JSON.readTree(issued.body()).get("access_token").asText();
    }

    @Test
    void aPasswordChangeEndsEarlierAccessTokensAtOnce() throws Exception {
        String before = accessToken(PASSWORD);
        assertThat(me(before).statusCode()).isEqualTo(200);
        Http browser = new Http(app);
        browser.submit("/login", "/login", Map.of("email", "api@example.com", "password", PASSWORD));
        assertThat(browser.submit("/password", "/password", Map.of("current_password", PASSWORD,
                "new_password", WebAppHttpTest.NEW_PASSWORD, "confirm_password", WebAppHttpTest.NEW_PASSWORD)).statusCode())
                .isEqualTo(303);

        // the clock has not moved: the token is far from its expiry, and refused anyway
        HttpResponse<String> refused = me(before);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        assertThat(me(accessToken(WebAppHttpTest.NEW_PASSWORD)).statusCode()).as("a token issued after it works").isEqualTo(200);
    }

    @Test
    void loggingOutEverywhereElseEndsAccessTokensAtOnce() throws Exception {
        String before = accessToken(PASSWORD);
        assertThat(me(before).statusCode()).isEqualTo(200);
        Http browser = new Http(app);
        browser.submit("/login", "/login", Map.of("email", "api@example.com", "password", PASSWORD));
        assertThat(browser.submit("/profile", "/profile/logout-others", Map.of()).statusCode()).isEqualTo(303);

        assertThat(me(before).statusCode()).isEqualTo(401);
        assertThat(browser.get("/profile").statusCode()).as("the browser's own session stays").isEqualTo(200);
    }
}
