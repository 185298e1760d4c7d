package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Running behind a TLS-terminating proxy, configured from the environment only (issue 12, item 7):
 * secure cookies, trusted proxies, allowed origins, the public base URL and the bind address
 * reach the app over real HTTP.
 */
class WebAppDeploymentTest {

    static final String PASSWORD = WebAppHttpTest.PASSWORD;

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static HttpResponse<String> register(Http http, String email) throws Exception {
        return http.submit("/register", "/register", Map.of("email", email, "password", PASSWORD, "confirm_password", PASSWORD));
    }

    @Test
    void secureCookiesMakesEveryCookieSecureWithTheHostPrefixOverPlainHttp() throws Exception {
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of("PORTCULLIS_SECURE_COOKIES", "true"))) {
            Http http = new Http(app);
            HttpResponse<String> form = http.get("/register");
            assertThat(Http.setCookies(form)).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis_csrf=").contains("; Secure"));
            HttpResponse<String> registered = register(http, "tls@example.com");
            assertThat(registered.statusCode()).isEqualTo(303);
            assertThat(Http.setCookies(registered)).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis_session=")
                    .contains("; Secure"));
            assertThat(Http.setCookies(registered)).allSatisfy(c -> assertThat(c).contains("; Secure"))
                    .filteredOn(c -> c.contains("portcullis_")).allSatisfy(c -> assertThat(c).startsWith("__Host-"));
            assertThat(http.get("/profile").body()).contains("tls@example.com");
        }
    }

    @Test
    void anHttpsBaseUrlMeansSecureCookiesAndItsOriginIsAccepted() throws Exception {
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE,
                Map.of("PORTCULLIS_BASE_URL", "https://demo.example.com"))) {
            Http http = new Http(app);
            http.headers.put("Origin", "https://demo.example.com");
            HttpResponse<String> registered = register(http, "public@example.com");
            assertThat(registered.statusCode()).as("the public origin passes the CSRF origin check").isEqualTo(303);
            assertThat(Http.setCookies(registered)).allSatisfy(c -> assertThat(c).contains("; Secure"))
                    .filteredOn(c -> c.contains("portcullis_")).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("__Host-"));
        }
    }

    @Test
    void anotherOriginIsAcceptedOnlyWhenListed() throws Exception {
        String origin = "https://app.example.com";
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE)) {
            Http http = new Http(app);
            http.headers.put("Origin", origin);
            assertThat(register(http, "cross@example.com").statusCode()).isEqualTo(403);
        }
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE,
                Map.of("PORTCULLIS_ALLOWED_ORIGINS", origin + ", https://other.example.com"))) {
            Http http = new Http(app);
            http.headers.put("Origin", origin);
            assertThat(register(http, "cross@example.com").statusCode()).isEqualTo(303);
            Http stranger = new Http(app);
            stranger.headers.put("Origin", "https://evil.example.com");
            assertThat(register(stranger, "evil@example.com").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void theClientAddressHeaderIsBelievedOnlyFromTrustedProxies() throws Exception {
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE)) {
            Http http = new Http(app);
            http.headers.put("X-Forwarded-For", "203.0.113.7");
            register(http, "direct@example.com");
            assertThat(http.get("/profile").body()).doesNotContain("203.0.113.7").contains("<td>127.0.0.1</td>");
        }
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE,
                Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"))) {
            Http http = new Http(app);
            http.headers.put("X-Forwarded-For", "203.0.113.7");
            register(http, "proxied@example.com");
            assertThat(http.get("/profile").body()).contains("<td>203.0.113.7</td>");
        }
    }

    @Test
    void behindATrustedTlsProxyTheAppSeesHttpsSendsHstsAndSecuresCookies() throws Exception {
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE)) {
            Http http = new Http(app);
            http.headers.put("X-Forwarded-Proto", "https");
            HttpResponse<String> form = http.get("/register");
            assertThat(form.headers().firstValue("Strict-Transport-Security")).as("not from an untrusted peer").isEmpty();
            assertThat(Http.setCookies(form)).allSatisfy(c -> assertThat(c).doesNotContain("Secure"));
        }
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1"))) {
            Http http = new Http(app);
            http.headers.put("X-Forwarded-Proto", "https");
            HttpResponse<String> form = http.get("/register");
            assertThat(form.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000; includeSubDomains");
            assertThat(Http.setCookies(form)).anySatisfy(c -> assertThat(c).startsWith("__Host-portcullis_csrf=").contains("; Secure"));
            HttpResponse<String> registered = register(http, "proxied-tls@example.com");
            assertThat(registered.statusCode()).isEqualTo(303);
            assertThat(Http.setCookies(registered)).filteredOn(c -> c.contains("portcullis_"))
                    .allSatisfy(c -> assertThat(c).startsWith("__Host-").contains("; Secure"));
            assertThat(http.get("/").headers().firstValue("Strict-Transport-Security")).isPresent();
        }
    }

    @Test
    void theAppListensOnLoopbackOnlyUnlessToldOtherwise() throws Exception {
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE)) {
            assertThat(new Http(app).get("/").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> RawHttp.open("127.0.0.2", app.base.getPort(), "127.0.0.2").close())
                    .as("not listening on another address of this machine").isInstanceOf(ConnectException.class);
        }
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, Map.of("PORTCULLIS_BIND", "0.0.0.0"))) {
            try (Socket s = RawHttp.open("127.0.0.2", app.base.getPort(), "127.0.0.2")) {
                assertThat(RawHttp.exchange(s, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status())
                        .isEqualTo(200);
            }
        }
    }

    // ---- the settings themselves -------------------------------------------------------------

    static AppSettings settings(Map<String, String> env) {
        return AppSettings.fromEnvironment(env);
    }

    @Test
    void defaultsAreLoopbackNoProxiesAndCookiesSecureOnlyForAnHttpsBaseUrl() {
        AppSettings.Deployment plain = settings(Map.of()).deployment();
        assertThat(plain.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(plain.trustedProxies()).isEmpty();
        assertThat(plain.clientAddressHeader()).isEmpty();
        assertThat(plain.allowedOrigins()).isEmpty();
        assertThat(plain.secureCookies()).isFalse();
        assertThat(settings(Map.of("PORTCULLIS_BASE_URL", "https://a.example.com")).deployment().secureCookies()).isTrue();
        assertThat(settings(Map.of("PORTCULLIS_BASE_URL", "https://a.example.com", "PORTCULLIS_SECURE_COOKIES", "false"))
                .deployment().secureCookies()).isFalse();
        assertThat(settings(Map.of("PORTCULLIS_TRUSTED_PROXIES", "10.0.0.1")).deployment().clientAddressHeader())
                .contains("X-Forwarded-For");
        assertThat(settings(Map.of("PORTCULLIS_BASE_URL", "https://A.example.com:8443/app/")).origin())
                .isEqualTo("https://a.example.com:8443");
        assertThat(AppSettings.DEFAULT_DB_URL).contains(";WRITE_DELAY=0");
    }

    @Test
    void aBadValueStopsTheAppNamingItsVariable() {
        for (Map<String, String> env : List.of(
                Map.of("PORTCULLIS_TRUSTED_PROXIES", "10.0.0.0/99"),
                Map.of("PORTCULLIS_CLIENT_ADDRESS_HEADER", "X-Real-IP"),
                Map.of("PORTCULLIS_ALLOWED_ORIGINS", "app.example.com"),
                Map.of("PORTCULLIS_SECURE_COOKIES", "yes"),
                Map.of("PORTCULLIS_BIND", "no such host.invalid"),
                Map.of("PORTCULLIS_BASE_URL", "ftp://example.com"))) {
            String variable = env.keySet().iterator().next();
            assertThatThrownBy(() -> settings(env)).as(variable).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(variable);
        }
    }
}
