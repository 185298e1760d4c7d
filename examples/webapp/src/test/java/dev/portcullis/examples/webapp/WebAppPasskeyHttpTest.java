package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.account.RegistrationMode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app's passkey routes over real HTTP, without a browser: the markup the script needs, the
 * options the library hands out, and every kind of bad input answered with a clear 4xx (JSON on
 * /auth/passkeys/*, a page on /mfa/passkeys/*), never a 500.
 */
class WebAppPasskeyHttpTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final Pattern CHALLENGE = Pattern.compile("\"challenge\":\"([A-Za-z0-9_-]+)\"");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    RunningApp app;
    Http http;

    @BeforeEach
    void start() throws Exception {
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1"));
        http = client();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** A client with an address of its own behind the trusted proxy, so no other run's throttle counters count. */
    Http client() {
        Http client = new Http(app);
        client.headers.put("X-Forwarded-For", "10." + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(1, 255));
        return client;
    }

    String signUp() throws Exception {
        String email = "pk-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> r = http.submit("/register", "/register",
                Map.of("email", email, "password", PASSWORD, "confirm_password", PASSWORD));
        assertThat(r.statusCode()).isEqualTo(303);
        return email;
    }

    /** A JSON POST to the library's passkey endpoints, with the CSRF token of {@code tokenPage}. */
    HttpResponse<String> json(String tokenPage, String path, String body) throws Exception {
        return json(Http.csrfFrom(http.get(tokenPage).body()), path, body, "application/json");
    }

    HttpResponse<String> json(String csrf, String path, String body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri(path)).header("Content-Type", type)
                .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    String challenge(HttpResponse<String> options) {
        Matcher m = CHALLENGE.matcher(options.body());
        assertThat(m.find()).as("a challenge in " + options.body()).isTrue();
        return m.group(1);
    }

    @Test
    void theLoginPageOffersAPasskeyAndItsAutofillWithoutInlineScript() throws Exception {
        HttpResponse<String> login = http.get("/login?next=/profile");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Security-Policy")).contains(SecurityHeadersFilter.CSP);
        assertThat(SecurityHeadersFilter.CSP).contains("script-src 'self';").doesNotContain("unsafe-inline")
                .as("no data: images: the QR code is inline SVG").contains("img-src 'self';").doesNotContain("data:");
        assertThat(login.body())
                .contains("autocomplete=\"username webauthn\"", "data-passkey-redirect=\"/profile\"",
                        "data-passkey-action=\"sign-in\"", "<script src=\"/auth/passkeys/passkeys.js\" data-csrf-token=\"")
                // every script element has a src: nothing inline
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        HttpResponse<String> script = http.get("/auth/passkeys/passkeys.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(script.body()).contains("isConditionalMediationAvailable", "data-csrf-token");
    }

    @Test
    void signInOptionsAreUsernamelessAndRegistrationOptionsFollowTheIssue() throws Exception {
        HttpResponse<String> signIn = json("/login", "/auth/passkeys/authentication/options", "{}");
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).contains("\"rpId\":\"localhost\"", "\"allowCredentials\":[]",
                "\"userVerification\":\"required\"");
        assertThat(challenge(signIn)).hasSize(43); // 256 bits, base64url

        assertThat(json("/login", "/auth/passkeys/registration/options", "{}").statusCode()).isEqualTo(401);
        signUp();
        HttpResponse<String> creation = json("/mfa", "/auth/passkeys/registration/options", "{}");
        assertThat(creation.statusCode()).isEqualTo(200);
        assertThat(creation.body()).contains("\"rp\":{\"id\":\"localhost\",\"name\":\"Portcullis demo\"}",
                "\"residentKey\":\"preferred\"", "\"userVerification\":\"required\"", "\"attestation\":\"none\"");
    }

    @Test
    void badSignInInputIsAClear4xx() throws Exception {
        String csrf = Http.csrfFrom(http.get("/login").body());
        String path = "/auth/passkeys/authentication";
        assertError(json(csrf, path, "{\"challenge\": ", "application/json"), 400, "malformed_request");
        assertError(json(csrf, path, "{\"challenge\": 7}", "application/json"), 400, "malformed_request");
        assertError(json(csrf, path, "challenge=x", "text/plain"), 415, "unsupported_media_type");
        assertThat(json(csrf, path, "{\"pad\":\"" + "A".repeat(70_000) + "\"}", "application/json").statusCode())
                .isEqualTo(413);
        assertThat(json("not-the-token", path, "{}", "application/json").statusCode()).isEqualTo(403);

        String options = "/auth/passkeys/authentication/options";
        String unknown = "{\"challenge\":\"" + challenge(json(csrf, options, "{}", "application/json"))
                + "\",\"id\":\"AAAAAAAA\",\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"}";
        assertError(json(csrf, path, unknown, "application/json"), 401, "passkey_refused");
        // The challenge went with that first answer: sending it again is a wrong challenge.
        assertError(json(csrf, path, unknown, "application/json"), 400, "invalid_challenge");
        String oversized = "{\"challenge\":\"" + challenge(json(csrf, options, "{}", "application/json"))
                + "\",\"id\":\"AAAAAAAA\",\"clientDataJSON\":\"" + "A".repeat(20_000)
                + "\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"}";
        HttpResponse<String> tooLong = json(csrf, path, oversized, "application/json");
        assertError(tooLong, 422, "invalid_input");
        assertThat(tooLong.body()).contains("clientDataJSON");
        String invented = "{\"challenge\":\"bm90LWEtY2hhbGxlbmdlLWF0LWFsbA\",\"id\":\"AAAAAAAA\","
                + "\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"}";
        assertError(json(csrf, path, invented, "application/json"), 400, "invalid_challenge");
        assertError(json(csrf, path, "{\"handle\":\"no-such-pending-sign-in\",\"challenge\":\"bm90LWEtY2hhbGxlbmdlLWF0LWFsbA\","
                + "\"id\":\"AAAA\",\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"}",
                "application/json"), 401, "sign_in_expired");
        assertError(json(csrf, "/auth/passkeys/nope", "{}", "application/json"), 404, "not_found");
    }

    @Test
    void badRegistrationAndManagementInputIsAClear4xx() throws Exception {
        signUp();
        String csrf = Http.csrfFrom(http.get("/mfa").body());
        String challenge = challenge(json(csrf, "/auth/passkeys/registration/options", "{}", "application/json"));
        assertError(json(csrf, "/auth/passkeys/registration", "{\"challenge\":\"" + challenge
                + "\",\"clientDataJSON\":\"%%%\",\"attestationObject\":\"AAAA\"}", "application/json"), 422, "invalid_input");
        assertError(json(csrf, "/auth/passkeys/registration", "{\"challenge\":\"" + challenge
                + "\",\"clientDataJSON\":\"e30\",\"attestationObject\":\"AAAA\",\"name\":\"x\"}", "application/json"),
                400, "passkey_refused");
        assertError(json(csrf, "/auth/passkeys/rename", "{\"id\":\"AAAAAAAA\",\"name\":\"Phone\"}", "application/json"),
                404, "not_found");
        assertError(json(csrf, "/auth/passkeys/delete", "{\"id\":\"AAAAAAAA\"}", "application/json"), 404, "not_found");
        assertError(json(csrf, "/auth/passkeys/rename", "{\"id\":\"AAAAAAAA\",\"name\":\"" + "x".repeat(65) + "\"}",
                "application/json"), 422, "invalid_input");

        // The page's own forms answer pages.
        HttpResponse<String> rename = http.submit("/mfa", "/mfa/passkeys/rename", Map.of("id", "AAAAAAAA", "name", "Phone"));
        assertThat(rename.statusCode()).isEqualTo(404);
        assertThat(rename.body()).contains("There is no such passkey on your account.", "id=\"passkeys\"");
        HttpResponse<String> badName = http.submit("/mfa", "/mfa/passkeys/rename", Map.of("id", "AAAAAAAA", "name", " "));
        assertThat(badName.statusCode()).isEqualTo(422);
        assertThat(http.submit("/mfa", "/mfa/passkeys/delete", Map.of("id", "not base64url!")).statusCode()).isEqualTo(404);
        assertThat(http.submit("/mfa", "/mfa/passkeys/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(http.submit("/mfa", "/mfa/passkeys/elsewhere", Map.of("id", "AAAAAAAA")).statusCode()).isEqualTo(404);
        assertThat(http.get("/mfa/passkeys/delete").statusCode()).isEqualTo(405);
    }

    @Test
    void deletingAPasskeyNeedsARecentSignIn() throws Exception {
        signUp();
        app.clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> page = http.submit("/mfa", "/mfa/passkeys/delete", Map.of("id", "AAAAAAAA"));
        // An account with a password proves it again on the step-up page, then comes back to /mfa.
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).contains("/reauth?next=%2Fmfa");
        assertError(json("/mfa", "/auth/passkeys/delete", "{\"id\":\"AAAAAAAA\"}"), 401, "reauthentication_required");
        assertError(json("/mfa", "/auth/passkeys/registration/options", "{}"), 401, "reauthentication_required");

        HttpResponse<String> proved = http.submit("/reauth?next=%2Fmfa", "/reauth", Map.of("password", PASSWORD, "next", "/mfa"));
        assertThat(proved.statusCode()).as(proved.body()).isEqualTo(303);
        HttpResponse<String> retried = http.submit("/mfa", "/mfa/passkeys/delete", Map.of("id", "AAAAAAAA"));
        assertThat(retried.statusCode()).as("fresh again: the delete itself answers").isEqualTo(404);
    }

    @Test
    void theMfaPageNeedsASignIn() throws Exception {
        HttpResponse<String> r = http.get("/mfa");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?next="));
        Http anonymous = client();
        String csrf = Http.csrfFrom(anonymous.get("/login").body());
        HttpResponse<String> post = anonymous.post("/mfa/passkeys/delete", Map.of("csrf_token", csrf, "id", "AAAAAAAA"));
        assertThat(post.statusCode()).isEqualTo(302);
        assertThat(post.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?next="));
    }

    @Test
    void passkeysOffLeaveThePagesAsBefore() throws Exception {
        app.close();
        app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1",
                "PORTCULLIS_PASSKEYS", "off"));
        http = client();
        assertThat(http.get("/login").body()).contains("autocomplete=\"username\"").doesNotContain("webauthn", "<script");
        assertError(json("/login", "/auth/passkeys/authentication/options", "{}"), 404, "not_found");
        signUp();
        assertThat(http.get("/mfa").body()).doesNotContain("id=\"passkeys\"");
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + code + "\"", "\"message\":\"");
    }
}
