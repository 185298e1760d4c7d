package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.passkey.PasskeySettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PORTCULLIS_PASSKEY* variables: the relying party from configuration, checked at start-up. */
class PasskeyAppSettingsTest {

    static AppSettings.Passkeys passkeys(String baseUrl, String... more) {
        Map<String, String> env = new HashMap<>(Map.of("PORTCULLIS_BASE_URL", baseUrl));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return AppSettings.fromEnvironment(env).passkeys();
    }

    @Test
    void byDefaultTheRelyingPartyIsTheBaseUrlAndUserVerificationIsRequired() {
        AppSettings.Passkeys p = passkeys("https://auth.example.com");
        assertThat(p.enabled()).isTrue();
        assertThat(p.rpId()).isEqualTo("auth.example.com");
        assertThat(p.origins()).containsExactly("https://auth.example.com");
        assertThat(p.userVerification()).isEqualTo(PasskeySettings.UserVerification.REQUIRED);
        assertThat(passkeys("http://localhost:8080").origins()).containsExactly("http://localhost:8080");
    }

    @Test
    void autoLeavesThemOffWhereBrowsersOfferNoPasskeys() {
        // Plain http on a host other than localhost is not a secure context: browsers refuse WebAuthn there.
        assertThat(passkeys("http://192.168.1.20:8080").enabled()).isFalse();
        assertThat(passkeys("https://auth.example.com", "PORTCULLIS_PASSKEYS", "off").enabled()).isFalse();
        assertThatThrownBy(() -> passkeys("http://192.168.1.20:8080", "PORTCULLIS_PASSKEYS", "on"))
                .hasMessageContaining("PORTCULLIS_PASSKEY_ORIGINS");
    }

    @Test
    void aRegistrableDomainServesSeveralOrigins() {
        AppSettings.Passkeys p = passkeys("https://www.example.com", "PORTCULLIS_PASSKEY_RP_ID", "example.com",
                "PORTCULLIS_PASSKEY_ORIGINS", "https://www.example.com, https://example.com",
                "PORTCULLIS_PASSKEY_USER_VERIFICATION", "preferred");
        assertThat(p.rpId()).isEqualTo("example.com");
        assertThat(p.origins()).isEqualTo(List.of("https://www.example.com", "https://example.com"));
        assertThat(p.userVerification()).isEqualTo(PasskeySettings.UserVerification.PREFERRED);
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> passkeys("https://example.com", "PORTCULLIS_PASSKEYS", "yes"))
                .hasMessageContaining("PORTCULLIS_PASSKEYS");
        assertThatThrownBy(() -> passkeys("https://example.com", "PORTCULLIS_PASSKEY_RP_ID", "https://example.com"))
                .hasMessageContaining("PORTCULLIS_PASSKEY_RP_ID");
        assertThatThrownBy(() -> passkeys("https://example.com", "PORTCULLIS_PASSKEY_ORIGINS", "https://evil.test"))
                .hasMessageContaining("PORTCULLIS_PASSKEY_ORIGINS").hasMessageContaining("example.com");
        assertThatThrownBy(() -> passkeys("https://example.com", "PORTCULLIS_PASSKEY_ORIGINS", "http://example.com"))
                .hasMessageContaining("PORTCULLIS_PASSKEY_ORIGINS");
        assertThatThrownBy(() -> passkeys("https://example.com", "PORTCULLIS_PASSKEY_USER_VERIFICATION", "discouraged"))
                .hasMessageContaining("PORTCULLIS_PASSKEY_USER_VERIFICATION");
    }
}
