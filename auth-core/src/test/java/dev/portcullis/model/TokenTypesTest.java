package dev.portcullis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenTypesTest {

    private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd";

    @Test
    void sessionTokenParseRefusesAnythingNotShapedLikeAToken() {
        assertThat(SessionToken.parse(TOKEN + "e")).isPresent();
        assertThat(SessionToken.parse("short")).isEmpty();
        assertThat(SessionToken.parse(null)).isEmpty();
        assertThat(SessionToken.parse(TOKEN + "=")).isEmpty();
        assertThat(SessionToken.parse("' OR '1'='1' -- aaaaaaaaaaaaaaaaaaaaaaaaaaa")).isEmpty();
    }

    @Test
    void sessionTokenToStringIsRedacted() {
        assertThat(new SessionToken(TOKEN + "e").toString()).doesNotContain(TOKEN);
    }

    @Test
    void digestIsSha256Hex() {
        // echo -n abc | sha256sum
        assertThat(TokenDigest.of("abc").hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThatThrownBy(() -> new TokenDigest("xyz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionTokenAndDigestRefuseLookalikesAtTheEdgesOfTheirAlphabets() {
        assertThat(SessionToken.parse(TOKEN.substring(0, 42) + "/")).isEmpty();
        assertThat(SessionToken.parse(TOKEN.substring(0, 42) + "+")).isEmpty();
        assertThat(SessionToken.parse(TOKEN.substring(0, 42) + "\u00e9")).isEmpty();
        assertThat(SessionToken.parse(TOKEN.substring(0, 42) + "z")).isPresent();
        String hex = TokenDigest.of("abc").hex();
        assertThatThrownBy(() -> new TokenDigest(hex.substring(0, 63) + "A")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenDigest(hex.substring(0, 63) + "g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenDigest(hex + "0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenDigest(hex.substring(0, 63) + "f").hex()).endsWith("f");
    }

    @Test
    void passwordHashToStringShowsOnlyTheScheme() {
        assertThat(new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").toString())
                .isEqualTo("PasswordHash[argon2id]");
    }

    @Test
    void aDigestIsTheLowerHexSha256OfTheText() {
        // FIPS 180-2, appendix B.1: bytes with the high bit set must not sign-extend into the hex.
        assertThat(TokenDigest.of("abc").hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(TokenDigest.sha256("abc")).hasSize(32).startsWith((byte) 0xba, (byte) 0x78);
    }

    @Test
    void aDigestHashesUtf8SoCharactersOutsideAsciiStayDistinct() {
        // US-ASCII encoding used to fold every such character to '?': josé and josè shared a digest
        // (and so a throttle key).
        assertThat(TokenDigest.of("acct:josé@example.com")).isNotEqualTo(TokenDigest.of("acct:josè@example.com"));
        assertThat(TokenDigest.of("é").hex()).isEqualTo(sha256Hex("é".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
