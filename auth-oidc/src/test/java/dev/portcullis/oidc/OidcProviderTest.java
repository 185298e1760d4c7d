package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OidcProviderTest {

    @Test
    void presetsNameTheirIssuers() {
        assertThat(OidcProvider.google("id", "secret").build().issuer()).isEqualTo(URI.create("https://accounts.google.com"));
        assertThat(OidcProvider.microsoft("72F988BF-86F1-41AF-91AB-2D7CD011DB47", "id", "secret").build().issuer())
                .isEqualTo(URI.create("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"));
        assertThat(OidcProvider.keycloak(URI.create("https://sso.example.com/realms/staff"), "id", "secret").build().issuer())
                .isEqualTo(URI.create("https://sso.example.com/realms/staff"));
    }

    @Test
    void multiTenantEntraEndpointsAreRefused() {
        for (String tenant : List.of("common", "organizations", "consumers", "contoso.onmicrosoft.com")) {
            assertThatThrownBy(() -> OidcProvider.microsoft(tenant, "id", "secret"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GUID");
        }
    }

    @Test
    void issuerMustBeHttpsExceptOnThisMachine() {
        assertThatThrownBy(() -> OidcProvider.builder("x").issuer(URI.create("http://idp.example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OidcProvider.builder("x").issuer(URI.create("https://idp.example.com?x=1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OidcProvider.builder("x").issuer(URI.create("http://127.0.0.1:8080/realms/test")).client("a", "b")
                .build().issuer().getPort()).isEqualTo(8080);
    }

    @Test
    void idsAreSafeInPaths() {
        assertThatThrownBy(() -> OidcProvider.builder("../admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OidcProvider.builder("Google")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildNamesWhatIsMissing() {
        assertThatThrownBy(() -> OidcProvider.builder("x").build()).hasMessageContaining("issuer is required");
        assertThatThrownBy(() -> OidcProvider.builder("x").issuer(URI.create("https://idp.example.com")).build())
                .hasMessageContaining("client is required");
    }

    @Test
    void authoritativeDomainsAndTrustedSecondFactorAreOptIn() {
        OidcProvider plain = OidcProvider.google("id", "secret").build();
        OidcProvider corp = OidcProvider.keycloak(URI.create("https://sso.corp.example/realms/staff"), "id", "s")
                .authoritativeFor("Corp.Example").trustSecondFactor(Set.of(), Set.of("mfa")).build();

        assertThat(plain.authoritativeDomains()).isEmpty();
        assertThat(plain.secondFactorShown("x", List.of("mfa"))).isFalse();
        assertThat(corp.authoritativeDomains()).containsExactly("corp.example");
        assertThat(corp.secondFactorShown(null, List.of("pwd", "mfa"))).isTrue();
        assertThat(corp.secondFactorShown(null, List.of("pwd"))).isFalse();
        assertThat(corp.toString()).doesNotContain("\"s\"").doesNotContain("secret");
    }
}
