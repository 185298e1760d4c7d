package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.internal.DigestKey;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    static VerifiedTokenCache.Entry entry(Instant notAfter) {
        return new VerifiedTokenCache.Entry(new AccessTokenVerification.Valid(UserId.random(), "j", NOW, notAfter),
                "k", notAfter, 0);
    }

    static DigestKey key(String token) {
        return DigestKey.of(token);
    }

    @Test
    void keysOfEqualTextAreEqualAndOfDifferentTextDiffer() {
        assertThat(key("a.b.c")).isEqualTo(key("a.b.c")).hasSameHashCodeAs(key("a.b.c"));
        assertThat(key("a.b.c")).isNotEqualTo(key("a.b.d"));
        assertThat(DigestKey.of(TokenDigest.of("a.b.c"))).isEqualTo(key("a.b.c")); // the hex form, parsed back
    }

    @Test
    void sizeNeverExceedsTheBound() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100);

        for (int i = 0; i < 1_000; i++) {
            cache.put(DigestKey.of("t" + i), entry(NOW.plusSeconds(600)), NOW);
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.get(DigestKey.of("t999"))).isPresent();
    }

    @Test
    void whenFullExpiredEntriesGoFirst() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10);
        for (int i = 0; i < 5; i++) {
            cache.put(key("old" + i), entry(NOW.plusSeconds(1)), NOW);
        }
        for (int i = 0; i < 5; i++) {
            cache.put(key("live" + i), entry(NOW.plusSeconds(600)), NOW);
        }

        cache.put(key("new"), entry(NOW.plusSeconds(600)), NOW.plusSeconds(2));

        assertThat(cache.size()).isEqualTo(6);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(key("live" + i))).isPresent();
            assertThat(cache.get(key("old" + i))).isEmpty();
        }
    }

    @Test
    void purgeDropsExpiredEntries() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10);
        cache.put(key("a"), entry(NOW.plusSeconds(1)), NOW);
        cache.put(key("b"), entry(NOW.plusSeconds(100)), NOW);

        assertThat(cache.purge(NOW.plusSeconds(1))).isEqualTo(1);
        assertThat(cache.get(key("b"))).isPresent();
    }

    @Test
    void sizeZeroDisablesIt() {
        VerifiedTokenCache cache = new VerifiedTokenCache(0);
        cache.put(key("a"), entry(NOW.plusSeconds(100)), NOW);

        assertThat(cache.isEnabled()).isFalse();
        assertThat(cache.size()).isZero();
    }
}
