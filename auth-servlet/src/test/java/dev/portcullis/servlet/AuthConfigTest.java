package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

    @Test
    void readsEveryInitParameter() {
        Map<String, String> params = Map.ofEntries(
                Map.entry("protect", "/account/*\n/admin/* admin, /reports"),
                Map.entry("public-paths", "/static/*"),
                Map.entry("api-paths", "/api/*"),
                Map.entry("login-page", "/signin"),
                Map.entry("register-page", "/signup"),
                Map.entry("after-login-path", "/home"),
                Map.entry("after-logout-path", "/signin?bye"),
                Map.entry("cookie-name", "sid"),
                Map.entry("csrf-cookie-name", "xsrf"),
                Map.entry("secure-cookies", "always"),
                Map.entry("csrf-secret", Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("trusted-proxies", "10.0.0.0/8, ::1"),
                Map.entry("client-address-header", "X-Forwarded-For"),
                Map.entry("allowed-origins", "https://app.example.com"));
        AuthConfig c = AuthConfig.fromInitParameters(params::get);
        assertThat(c.rules()).containsExactly(ProtectionRule.authenticated("/account/*"), ProtectionRule.role("/admin/*", "admin"),
                ProtectionRule.authenticated("/reports"));
        assertThat(c.loginPage()).isEqualTo("/signin");
        assertThat(c.registerPage()).isEqualTo("/signup");
        assertThat(c.afterLoginPath()).isEqualTo("/home");
        assertThat(c.afterLogoutPath()).isEqualTo("/signin?bye");
        assertThat(c.cookieName()).isEqualTo("sid");
        assertThat(c.csrfCookieName()).isEqualTo("xsrf");
        assertThat(c.cookieSecurity()).isEqualTo(AuthConfig.CookieSecurity.ALWAYS);
        assertThat(c.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
        assertThat(c.clientAddressHeader()).contains("X-Forwarded-For");
        assertThat(c.allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(c.csrfSecret()).isPresent();
    }

    @Test
    void readsTheRememberMeTokenEndpointAndMailFlowParameters() {
        Map<String, String> params = Map.ofEntries(
                Map.entry("remember-me-cookie-name", "keep"),
                Map.entry("token-endpoint-paths", "/api/tokens/*"),
                Map.entry("verify-email-page", "/v"), Map.entry("email-verified-path", "/v?ok"),
                Map.entry("forgot-password-page", "/f"), Map.entry("reset-requested-path", "/f?sent"),
                Map.entry("reset-password-page", "/r"), Map.entry("password-reset-path", "/r?done"),
                Map.entry("email-change-page", "/e"), Map.entry("email-change-requested-path", "/e?sent"),
                Map.entry("confirm-email-page", "/c"), Map.entry("email-changed-path", "/c?done"));
        AuthConfig c = AuthConfig.fromInitParameters(params::get);
        assertThat(c.rememberMeCookieName()).isEqualTo("keep");
        assertThat(c.tokenEndpointPaths()).extracting(PathPattern::pattern).containsExactly("/api/tokens/*");
        assertThat(List.of(c.verifyEmailPage(), c.emailVerifiedPath(), c.forgotPasswordPage(), c.resetRequestedPath(),
                c.resetPasswordPage(), c.passwordResetPath(), c.emailChangePage(), c.emailChangeRequestedPath(),
                c.confirmEmailPage(), c.emailChangedPath()))
                .containsExactly("/v", "/v?ok", "/f", "/f?sent", "/r", "/r?done", "/e", "/e?sent", "/c", "/c?done");
        assertThatThrownBy(() -> AuthConfig.builder().rememberMeCookieName("portcullis_session").build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("password-reset-path", "https://evil.com")::get))
                .hasMessageContaining("password-reset-path");
    }

    @Test
    void defaultsNeedNoParameters() {
        AuthConfig c = AuthConfig.fromInitParameters(name -> null);
        assertThat(c.loginPage()).isEqualTo("/login");
        assertThat(c.cookieName()).isEqualTo("portcullis_session");
        assertThat(c.csrfCookieName()).isEqualTo("portcullis_csrf");
        assertThat(c.cookieSecurity()).isEqualTo(AuthConfig.CookieSecurity.AUTO);
        assertThat(c.rules()).isEmpty();
        assertThat(c.bearerAuthenticator()).isEqualTo(Optional.empty());
        assertThat(c.rememberMeCookieName()).isEqualTo("portcullis_remember");
        assertThat(c.resetPasswordPage()).isEqualTo("/reset-password");
        assertThat(c.passwordResetPath()).isEqualTo("/login?password-reset");
    }

    @Test
    void badValuesNameTheParameter() {
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("login-page", "//evil.com")::get))
                .hasMessageContaining("login-page");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("protect", "/admin/** x y")::get))
                .hasMessageContaining("protect");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("csrf-secret", "c2hvcnQ=")::get))
                .hasMessageContaining("csrf-secret").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("trusted-proxies", "proxy.example.com")::get))
                .hasMessageContaining("trusted-proxies");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("secure-cookies", "never")::get))
                .hasMessageContaining("secure-cookies");
        assertThatThrownBy(() -> AuthConfig.builder().clientAddressHeader("X-Forwarded-For").build())
                .hasMessageContaining("trustedProxies");
        assertThatThrownBy(() -> AuthConfig.builder().cookieName("__Host-x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtectionRule.authenticated("admin/*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtectionRule.authenticated("/a*/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(ProtectionRule.role("/x/*", "r").role())).containsExactly(Optional.of("r"));
    }

    @Test
    void csrfTokensAreBoundToTheCookieAndTheSession() {
        CsrfTokens csrf = new CsrfTokens(new byte[32], new java.security.SecureRandom());
        String cookie = csrf.newCookieValue();
        String other = csrf.newCookieValue();
        var session = Optional.of(dev.portcullis.model.TokenDigest.of("s"));
        String anonymous = csrf.tokenFor(cookie, Optional.empty());
        assertThat(csrf.verify(anonymous, cookie, Optional.empty())).isTrue();
        assertThat(csrf.verify(anonymous, other, Optional.empty())).isFalse();
        assertThat(csrf.verify(anonymous, cookie, session)).isFalse();
        assertThat(csrf.verify(csrf.tokenFor(cookie, session), cookie, session)).isTrue();
        assertThat(csrf.verify(null, cookie, session)).isFalse();
        assertThat(csrf.verify(anonymous, "short", Optional.empty())).isFalse();
    }

    @Test
    void clientAddressComesFromTheHeaderOnlyBehindATrustedProxy() {
        assertThat(ClientAddresses.parseBlock("10.0.0.0/8").contains(new byte[] {10, 1, 2, 3})).isTrue();
        assertThat(ClientAddresses.parseBlock("10.0.0.0/8").contains(new byte[] {11, 1, 2, 3})).isFalse();
        assertThat(ClientAddresses.parseBlock("192.168.1.0/25").contains(new byte[] {(byte) 192, (byte) 168, 1, (byte) 200})).isFalse();
        assertThat(ClientAddresses.parseLiteral("evil.example.com")).isEmpty();
        assertThat(ClientAddresses.parseLiteral("cafe.de")).as("hex letters are not an address: no DNS lookup").isEmpty();
        assertThat(ClientAddresses.parseLiteral("add")).isEmpty();
        assertThat(ClientAddresses.parseLiteral("1.2")).as("legacy short IPv4 forms are refused").isEmpty();
        assertThat(ClientAddresses.parseLiteral("192.0.2.10")).isPresent();
        assertThat(ClientAddresses.parseLiteral("2001:db8::1")).isPresent();
    }
}
