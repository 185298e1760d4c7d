package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The several-nodes variables, and the keys derived from the shared signing key. */
class ClusterSettingsTest {

    @Test
    void nothingSetMeansAutoBusDerivedKeysAndNoRedis() {
        ClusterSettings s = ClusterSettings.fromEnvironment(Map.of());

        assertThat(s.csrfSecret()).isEmpty();
        assertThat(s.redisUrl()).isEmpty();
        assertThat(s.effectiveBus("jdbc:postgresql://db/app")).isEqualTo(ClusterSettings.Bus.POSTGRES);
        assertThat(s.effectiveBus("jdbc:h2:mem:x")).isEqualTo(ClusterSettings.Bus.NONE);
        assertThat(s.effectiveBus("jdbc:mariadb://db/app")).isEqualTo(ClusterSettings.Bus.NONE);
    }

    @Test
    void aRedisUrlPutsTheBusOnRedisUnlessTold() {
        assertThat(ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_REDIS_URL", "redis://127.0.0.1:6379"))
                .effectiveBus("jdbc:postgresql://db/app")).isEqualTo(ClusterSettings.Bus.REDIS);
        assertThat(ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_REDIS_URL", "redis://127.0.0.1:6379",
                "PORTCULLIS_REVOCATION_BUS", "postgres")).effectiveBus("jdbc:postgresql://db/app"))
                .isEqualTo(ClusterSettings.Bus.POSTGRES);
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_CSRF_SECRET", "c2hvcnQ=")))
                .hasMessageContaining("PORTCULLIS_CSRF_SECRET").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_DEVICE_KEY", "not base64!")))
                .hasMessageContaining("PORTCULLIS_DEVICE_KEY");
        assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_REDIS_URL", "http://x")))
                .hasMessageContaining("PORTCULLIS_REDIS_URL");
        assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_REVOCATION_BUS", "kafka")))
                .hasMessageContaining("PORTCULLIS_REVOCATION_BUS");
        assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_REVOCATION_BUS", "redis")))
                .hasMessageContaining("PORTCULLIS_REDIS_URL");
        assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_REDIS_PREFIX", "a b")))
                .hasMessageContaining("PORTCULLIS_REDIS_PREFIX");
    }

    @Test
    void secretsAreNeverPrinted() {
        String key = Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        assertThat(ClusterSettings.fromEnvironment(Map.of("PORTCULLIS_CSRF_SECRET", key)).toString()).doesNotContain(key);
    }

    @Test
    void derivedKeysAreStablePerSigningKeyAndDifferPerPurpose() {
        String jwk = "{\"kty\":\"oct\",\"k\":\"secret-material\"}";

        assertThat(DerivedKeys.derive(jwk, DerivedKeys.CSRF)).hasSize(32).isEqualTo(DerivedKeys.derive(jwk + "\n", DerivedKeys.CSRF));
        assertThat(DerivedKeys.derive(jwk, DerivedKeys.CSRF)).isNotEqualTo(DerivedKeys.derive(jwk, DerivedKeys.DEVICE));
        assertThat(DerivedKeys.derive(jwk, DerivedKeys.CSRF)).isNotEqualTo(DerivedKeys.derive(jwk.replace("secret", "other"), DerivedKeys.CSRF));
    }
}
