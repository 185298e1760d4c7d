package dev.portcullis.servlet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The settings → library step on a real H2 database: what is built, and how bad settings are named. */
class BootstrapTest {

    private final String url = "jdbc:h2:mem:boot-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put(BootstrapKeys.JDBC_URL, url);
        return m;
    }

    private static Bootstrap.Built build(Map<String, String> settings) {
        return Bootstrap.build(BootstrapSettings.of(settings, name -> name.equals("SECRET_PW") ? "s3cret" : null), "/shop");
    }

    @Test
    void minimalSettingsBuildTheLibraryWithDefaultPagesAtAuth() throws Exception {
        Bootstrap.Built built = build(base());
        try {
            assertThat(built.endpointsPath()).isEqualTo("/auth");
            assertThat(built.config().defaultPagesPath()).contains("/auth");
            assertThat(built.config().pages().login()).isEqualTo("/auth/login");
            assertThat(built.config().pages().afterLogout()).isEqualTo("/auth/login?logged-out");
            assertThat(built.portcullis().accounts().mailEnabled()).isFalse();
        } finally {
            Bootstrap.closeQuietly(built.closeables());
        }
    }

    @Test
    void filterKeysUseTheFiltersOwnNamesWithThePrefix() {
        Map<String, String> s = base();
        s.put("portcullis.protect", "/admin/* admin, /account");
        s.put("portcullis.csrf-origin-only-paths", "/legacy/*");
        s.put("portcullis.login-page", "/signin");
        s.put(BootstrapKeys.DEFAULT_PAGES, "false");
        Bootstrap.Built built = build(s);
        try {
            assertThat(built.config().protection().rules()).hasSize(2);
            assertThat(built.config().csrf().originOnlyPaths()).containsExactly("/legacy/*");
            assertThat(built.config().pages().login()).isEqualTo("/signin");
            assertThat(built.config().defaultPagesPath()).isEmpty();
        } finally {
            Bootstrap.closeQuietly(built.closeables());
        }
    }

    @Test
    void rolesFromConfigurationBecomeRoleGrants() {
        Map<String, String> s = base();
        s.put("portcullis.roles.admin", "early@example.com, Late@Example.com");
        Bootstrap.Built built = build(s);
        Bootstrap.closeQuietly(built.closeables());
        s.put("portcullis.roles.ad min", "x@example.com");
        assertThatThrownBy(() -> build(s)).isInstanceOf(SettingException.class).hasMessageStartingWith("portcullis.roles.ad min: a role is");
    }

    @Test
    void environmentReferencesAreResolvedAndAMissingOneIsNamed() {
        Map<String, String> s = base();
        s.put(BootstrapKeys.JDBC_PASSWORD, "${env:SECRET_PW}");
        BootstrapSettings settings = BootstrapSettings.of(s, name -> name.equals("SECRET_PW") ? "s3cret" : null);
        assertThat(settings.get(BootstrapKeys.JDBC_PASSWORD)).contains("s3cret");
        s.put(BootstrapKeys.JDBC_PASSWORD, "${env:NOT_SET_ANYWHERE}");
        assertThatThrownBy(() -> build(s)).isInstanceOf(SettingException.class)
                .hasMessageContaining("portcullis.jdbc.password").hasMessageContaining("NOT_SET_ANYWHERE");
    }

    @Test
    void badSettingsStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> build(Map.of())).hasMessageStartingWith("portcullis.jdbc.url is required");
        Map<String, String> typo = base();
        typo.put("portcullis.protekt", "/admin/*");
        assertThatThrownBy(() -> build(typo)).hasMessageContaining("unknown setting(s) [portcullis.protekt]");
        Map<String, String> pattern = base();
        pattern.put("portcullis.protect", "admin/*");
        assertThatThrownBy(() -> build(pattern)).hasMessageStartingWith("portcullis.protect:");
        Map<String, String> number = base();
        number.put(BootstrapKeys.PASSWORD_MIN_LENGTH, "eight");
        assertThatThrownBy(() -> build(number)).hasMessageStartingWith("portcullis.password.min-length:");
        Map<String, String> smtp = base();
        smtp.put(BootstrapKeys.SMTP_HOST, "mail.example.com");
        assertThatThrownBy(() -> build(smtp)).hasMessageStartingWith("portcullis.base-url is required");
        Map<String, String> role = base();
        role.put("portcullis.roles.admin", "not-an-address");
        assertThatThrownBy(() -> build(role)).hasMessageStartingWith("portcullis.roles.admin: not an email address");
        Map<String, String> url = base();
        url.put(BootstrapKeys.JDBC_URL, "jdbc:nosuchdb:whatever");
        assertThatThrownBy(() -> build(url)).hasMessageStartingWith("portcullis.jdbc.url: cannot connect");
    }

    @Test
    void baseUrlTurnsOnMailWithLinksToTheDefaultPages() {
        Map<String, String> s = base();
        s.put(BootstrapKeys.BASE_URL, "https://shop.example.com/shop");
        Bootstrap.Built built = build(s);
        try {
            assertThat(built.portcullis().accounts().mailEnabled()).isTrue();
            assertThat(built.portcullis().accounts().links().orElseThrow().resetPasswordPath()).isEqualTo("/auth/reset-password");
        } finally {
            Bootstrap.closeQuietly(built.closeables());
        }
    }

}
