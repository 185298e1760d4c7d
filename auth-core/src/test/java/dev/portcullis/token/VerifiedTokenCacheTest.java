package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    static VerifiedTokenCache.Entry entry(Instant notAfter) {
        return new VerifiedTokenCache.Entry(new AccessTokenVerification.Valid(UserId.random(), "j", NOW, notAfter),
                "k", notAfter, 0);
    }

    @Test
    void sizeNeverExceedsTheBound() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100);

        for (int i = 0; i < 1_000; i++) {
            cache.put(AccessTokenVerifier.sha256Hex("t" + i), entry(NOW.plusSeconds(600)), NOW);
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.get(AccessTokenVerifier.sha256Hex("t999"))).isPresent();
    }

    @Test
    void whenFullExpiredEntriesGoFirst() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10);
        for (int i = 0; i < 5; i++) {
            cache.put("old" + i, entry(NOW.plusSeconds(1)), NOW);
        }
        for (int i = 0; i < 5; i++) {
            cache.put("live" + i, entry(NOW.plusSeconds(600)), NOW);
        }

        cache.put("new", entry(NOW.plusSeconds(600)), NOW.plusSeconds(2));

        assertThat(cache.size()).isEqualTo(6);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get("live" + i)).isPresent();
            assertThat(cache.get("old" + i)).isEmpty();
        }
    }

    @Test
    void purgeDropsExpiredEntries() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10);
        cache.put("a", entry(NOW.plusSeconds(1)), NOW);
        cache.put("b", entry(NOW.plusSeconds(100)), NOW);

        assertThat(cache.purge(NOW.plusSeconds(1))).isEqualTo(1);
        assertThat(cache.get("b")).isPresent();
    }

    @Test
    void sizeZeroDisablesIt() {
        VerifiedTokenCache cache = new VerifiedTokenCache(0);
        cache.put("a", entry(NOW.plusSeconds(100)), NOW);

        assertThat(cache.isEnabled()).isFalse();
        assertThat(cache.size()).isZero();
    }
}
