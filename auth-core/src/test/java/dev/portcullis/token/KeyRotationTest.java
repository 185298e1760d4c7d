package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key rotation, key-size floors, and HS256 as the symmetric option. */
class KeyRotationTest {

    TokenFixture f;
    String oldToken;

    @BeforeEach
    void setUp() {
        f = new TokenFixture();
        f.register("alice@example.com");
        oldToken = f.issue("alice@example.com").tokens().accessToken();
    }

    String kidOf(String token) {
        return InteroperabilityTest.field(Jws.decode(token.substring(0, token.indexOf('.'))), "kid");
    }

    @Test
    void afterRotationNewTokensUseTheNewKeyAndOldTokensStillVerify() {
        f.keys.rotateTo(SigningKey.generate(TokenAlgorithm.RS256));
        String newToken = f.issue("alice@example.com").tokens().accessToken();

        assertThat(kidOf(oldToken)).isEqualTo("rsa-1");
        assertThat(kidOf(newToken)).isEqualTo(f.keys.active().keyId()).isNotEqualTo("rsa-1");
        assertThat(f.tokens.verifyAccessToken(oldToken)).isInstanceOf(AccessTokenVerification.Valid.class);
        assertThat(f.tokens.verifyAccessToken(newToken)).isInstanceOf(AccessTokenVerification.Valid.class);
        assertThat(f.tokens.jwksJson()).contains("rsa-1", f.keys.active().keyId());
    }

    @Test
    void retiredKeyNoLongerVerifiesEvenForCachedTokens() {
        assertThat(f.tokens.verifyAccessToken(oldToken)).isInstanceOf(AccessTokenVerification.Valid.class);
        f.keys.rotateTo(SigningKey.generate(TokenAlgorithm.RS256));

        assertThat(f.keys.retire("rsa-1")).isTrue();

        assertThat(f.tokens.verifyAccessToken(oldToken)).isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.UNKNOWN_KEY));
        assertThat(f.tokens.jwksJson()).doesNotContain("rsa-1");
        assertThat(f.keys.retire("rsa-1")).isFalse();
    }

    @Test
    void addedKeyIsPublishedAndVerifiesBeforeItSigns() {
        SigningKey next = SigningKey.generate(TokenAlgorithm.RS256);
        f.keys.add(next);

        assertThat(f.tokens.jwksJson()).contains(next.keyId());
        assertThat(kidOf(f.issue("alice@example.com").tokens().accessToken())).isEqualTo("rsa-1");

        f.keys.activate(next.keyId());
        assertThat(kidOf(f.issue("alice@example.com").tokens().accessToken())).isEqualTo(next.keyId());
        assertThat(f.keys.keyIds()).containsExactly(next.keyId(), "rsa-1");
    }

    @Test
    void activeKeyCannotBeRetiredAndKeyIdsAreUnique() {
        assertThatThrownBy(() -> f.keys.retire("rsa-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activate another");
        assertThatThrownBy(() -> f.keys.add(SigningKey.rsa("rsa-1", TokenFixture.RSA_PAIR)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.keys.activate("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weakKeysAreRefusedAtConstruction() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));

        assertThatThrownBy(() -> SigningKey.hmac("h", new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 bits");
        assertThatThrownBy(() -> SigningKey.rsa("r", rsa.generateKeyPair())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> SigningKey.ec("e", ec.generateKeyPair())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> SigningKey.rsa("bad kid!", TokenFixture.RSA_PAIR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.generate(TokenAlgorithm.HS256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hs256KeysSignAndVerify() {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        f.keys.rotateTo(SigningKey.hmac("shared-1", secret));
        String token = f.issue("alice@example.com").tokens().accessToken();

        assertThat(f.tokens.verifyAccessToken(token)).isInstanceOf(AccessTokenVerification.Valid.class);
        assertThat(Jws.decode(token.substring(0, token.indexOf('.')))).contains("\"alg\":\"HS256\"");
        // An RS256 token may not be passed off under the HMAC key's id.
        long now = f.clock.instant().getEpochSecond();
        assertThat(f.tokens.verifyAccessToken(Jws.rs256(Jws.header("RS256", "shared-1"), Jws.claims("x", now),
                TokenFixture.RSA_PAIR.getPrivate()))).isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.ALGORITHM_NOT_ALLOWED));
    }

    @Test
    void privateJwkRoundTripsAndSignsForTheSameKid() {
        SigningKey original = SigningKey.generate(TokenAlgorithm.ES256);

        SigningKey loaded = SigningKey.fromPrivateJwkJson(original.toPrivateJwkJson());

        assertThat(loaded.keyId()).isEqualTo(original.keyId());
        assertThat(loaded.algorithm()).isEqualTo(TokenAlgorithm.ES256);
        assertThat(loaded.toString()).doesNotContain("\"d\"");
        f.keys.rotateTo(loaded);
        assertThat(f.tokens.verifyAccessToken(f.issue("alice@example.com").tokens().accessToken()))
                .isInstanceOf(AccessTokenVerification.Valid.class);
        assertThatThrownBy(() -> SigningKey.fromPrivateJwkJson(InteroperabilityTest.keyWithKid(f.tokens.jwksJson(), loaded.keyId())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private");
    }
}
