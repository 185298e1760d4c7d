package dev.portcullis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import org.junit.jupiter.api.Test;

class DigestKeyTest {

    @Test
    void theKeyOfTheTextIsTheKeyOfItsHexDigest() {
        // SHA-256("abc"), FIPS 180-2 B.1: high bits set in every long, so a signed parse would differ.
        DigestKey key = DigestKey.of("abc");
        assertThat(key).isEqualTo(new DigestKey(0xba7816bf8f01cfeaL, 0x414140de5dae2223L, 0xb00361a396177a9cL,
                0xb410ff61f20015adL));
        assertThat(DigestKey.of(TokenDigest.of("abc"))).isEqualTo(key).hasSameHashCodeAs(key);
    }

    @Test
    void differentTextsHaveDifferentKeysAndTheTextIsNotShown() {
        assertThat(DigestKey.of("session-a")).isNotEqualTo(DigestKey.of("session-b"));
        assertThat(DigestKey.of("secret-cookie-value").toString()).doesNotContain("secret");
    }
}
