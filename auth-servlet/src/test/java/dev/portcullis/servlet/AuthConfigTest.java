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
        assertThat(c.protection().rules()).containsExactly(ProtectionRule.authenticated("/account/*"), ProtectionRule.role("/admin/*", "admin"),
                ProtectionRule.authenticated("/reports"));
        assertThat(c.protection().publicPaths()).containsExactly("/static/*");
        assertThat(c.api().apiPaths()).containsExactly("/api/*");
        assertThat(c.pages().login()).isEqualTo("/signin");
        assertThat(c.pages().register()).isEqualTo("/signup");
        assertThat(c.pages().afterLogin()).isEqualTo("/home");
        assertThat(c.pages().afterLogout()).isEqualTo("/signin?bye");
        assertThat(c.cookies()).isEqualTo(new AuthConfig.CookieSettings("sid", "xsrf", "portcullis_remember",
                AuthConfig.CookieSecurity.ALWAYS, Optional.empty()));
        assertThat(c.clientAddresses().trustedProxies()).containsExactly("10.0.0.0/8", "::1");
        assertThat(c.clientAddresses().header()).contains("X-Forwarded-For");
        assertThat(c.csrf().allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(c.csrf().hasSharedSecret()).isTrue();
        assertThat(c.csrf().secret()).isPresent();
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
        assertThat(c.cookies().rememberMeName()).isEqualTo("keep");
        assertThat(c.api().tokenEndpointPaths()).containsExactly("/api/tokens/*");
        AuthConfig.Pages p = c.pages();
        assertThat(List.of(p.verifyEmail(), p.emailVerified(), p.forgotPassword(), p.resetRequested(),
                p.resetPassword(), p.passwordReset(), p.emailChange(), p.emailChangeRequested(),
                p.confirmEmail(), p.emailChanged()))
                .containsExactly("/v", "/v?ok", "/f", "/f?sent", "/r", "/r?done", "/e", "/e?sent", "/c", "/c?done");
        assertThatThrownBy(() -> AuthConfig.builder().rememberMeCookieName("portcullis_session").build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("password-reset-path", "https://evil.com")::get))
                .hasMessageContaining("password-reset-path");
    }

    @Test
    void defaultsNeedNoParameters() {
        AuthConfig c = AuthConfig.fromInitParameters(name -> null);
        assertThat(c.pages()).isEqualTo(new AuthConfig.Pages("/login", "/register", "/", "/", "/login?verification-sent",
                "/verify-email", "/login?email-verified", "/forgot-password", "/login?reset-requested", "/reset-password",
                "/login?password-reset", "/email", "/email?confirmation-sent", "/confirm-email", "/login?email-changed"));
        assertThat(c.cookies()).isEqualTo(new AuthConfig.CookieSettings("portcullis_session", "portcullis_csrf",
                "portcullis_remember", AuthConfig.CookieSecurity.AUTO, Optional.empty()));
        assertThat(c.protection().rules()).isEmpty();
        assertThat(c.api().bearerAuthenticator()).isEqualTo(Optional.empty());
        assertThat(c.clientAddresses().header()).isEmpty();
        assertThat(c.csrf().hasSharedSecret()).isFalse();
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
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("hsts-max-age", "-1")::get))
                .hasMessageContaining("hsts-max-age");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("max-form-bytes", "lots")::get))
                .hasMessageContaining("max-form-bytes");
        assertThatThrownBy(() -> AuthConfig.fromInitParameters(Map.of("forwarded-proto", "maybe")::get))
                .hasMessageContaining("forwarded-proto");
        AuthConfig https = AuthConfig.fromInitParameters(Map.of("hsts-max-age", "600", "hsts-include-subdomains", "false",
                "max-form-bytes", "1000")::get);
        assertThat(https.https().hstsHeader()).contains("max-age=600");
        assertThat(https.bodyLimits().maxFormBytes()).isEqualTo(1000);
        assertThat(AuthConfig.fromInitParameters(Map.of("hsts-max-age", "0")::get).https().hstsHeader()).isEmpty();
        assertThatThrownBy(() -> AuthConfig.builder().clientAddressHeader("X-Forwarded-For").build())
                .hasMessageContaining("trustedProxies");
        assertThatThrownBy(() -> AuthConfig.builder().cookieName("__Host-x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtectionRule.authenticated("admin/*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtectionRule.authenticated("/a*/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(ProtectionRule.role("/x/*", "r").role())).containsExactly(Optional.of("r"));
    }

    @Test
    void everySettingHasAnInitParameterAndTheLegacyNamesStillWork() {
        assertThat(AuthConfig.INIT_PARAMETERS).containsExactlyInAnyOrder(
                "portcullis-attribute", "protect", "public-paths", "api-paths", "login-page", "register-page",
                "after-login-path", "after-logout-path", "verification-sent-path", "cookie-name", "csrf-cookie-name",
                "secure-cookies", "csrf-secret", "trusted-proxies", "client-address-header", "allowed-origins",
                "remember-me-cookie-name", "token-endpoint-paths", "verify-email-page", "email-verified-path",
                "forgot-password-page", "reset-requested-path", "reset-password-page", "password-reset-path",
                "email-change-page", "email-change-requested-path", "confirm-email-page", "email-changed-path",
                "forwarded-proto", "hsts-max-age", "hsts-include-subdomains", "max-form-bytes", "csrf-origin-only-paths",
                "default-pages-path", "cookie-path");
        AuthConfig c = AuthConfig.fromInitParameters(Map.of("verification-sent-path", "/sent", "token-endpoint-paths",
                "/api/tokens/*\n/api/keys/*", "cookie-name", " spaced ")::get);
        assertThat(c.pages().verificationSent()).isEqualTo("/sent");
        assertThat(c.api().tokenEndpointPaths()).containsExactly("/api/tokens/*", "/api/keys/*");
        assertThat(c.cookies().sessionName()).as("values are stripped").isEqualTo("spaced");
    }

    @Test
    void defaultPagesReplaceOnlyThePagesNotSetExplicitly() {
        AuthConfig c = AuthConfig.builder().defaultPagesAt("/auth").registerPage("/signup").build();
        assertThat(c.defaultPagesPath()).contains("/auth");
        assertThat(c.pages().login()).isEqualTo("/auth/login");
        assertThat(c.pages().register()).isEqualTo("/signup");
        assertThat(c.pages().resetPassword()).isEqualTo("/auth/reset-password");
        assertThat(c.pages().passwordReset()).isEqualTo("/auth/login?password-reset");
        assertThat(c.pages().afterLogout()).isEqualTo("/auth/login?logged-out");
        assertThat(c.pages().afterLogin()).isEqualTo("/");
        assertThat(AuthConfig.builder().build().defaultPagesPath()).isEmpty();
        assertThatThrownBy(() -> AuthConfig.builder().defaultPagesAt("/auth/*")).hasMessageContaining("like /auth");
        assertThat(AuthConfig.fromInitParameters(Map.of("default-pages-path", "/sso", "csrf-origin-only-paths",
                "/legacy/*, /old-form")::get).csrf().originOnlyPaths()).containsExactly("/legacy/*", "/old-form");
    }

    @Test
    void groupedValuesValidateThemselves() {
        assertThatThrownBy(() -> new AuthConfig.CookieSettings("a", "a", "b", AuthConfig.CookieSecurity.AUTO, Optional.empty()))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> new AuthConfig.ClientAddressSettings(List.of(), Optional.of("X-Forwarded-For")))
                .hasMessageContaining("trustedProxies");
        assertThatThrownBy(() -> new AuthConfig.Protection(List.of(), List.of("no-slash")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthConfig.Pages("//evil.com", "/r", "/", "/", "/s", "/v", "/v", "/f", "/f", "/r", "/r",
                "/e", "/e", "/c", "/c")).hasMessageContaining("context-relative");
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
