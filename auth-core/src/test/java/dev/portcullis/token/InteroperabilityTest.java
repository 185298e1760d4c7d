package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tokens cross the boundary in both directions with an independent implementation: the JDK's
 * {@link Signature} and hand-written JSON, with the key taken from the published JWKS only.
 */
class InteroperabilityTest {

    final TokenFixture f = new TokenFixture();

    @Test
    void issuedTokenVerifiesWithTheJdkUsingOnlyThePublishedJwks() throws Exception {
        f.register("alice@example.com");
        TokenIssueResult.Issued issued = f.issue("alice@example.com");
        String token = issued.tokens().accessToken();
        String[] parts = token.split("\\.");
        String header = Jws.decode(parts[0]);
        String kid = field(header, "kid");

        String jwk = keyWithKid(f.tokens.jwksJson(), kid);
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                unsigned(field(jwk, "n")), unsigned(field(jwk, "e"))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));

        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(field(header, "alg")).isEqualTo("RS256");
        assertThat(field(header, "typ")).isEqualTo("at+jwt");
        assertThat(field(jwk, "alg")).isEqualTo("RS256");
        assertThat(field(jwk, "use")).isEqualTo("sig");
        String payload = Jws.decode(parts[1]);
        assertThat(field(payload, "iss")).isEqualTo(TokenFixture.ISSUER);
        assertThat(field(payload, "aud")).isEqualTo(TokenFixture.AUDIENCE);
        assertThat(field(payload, "sub")).isEqualTo(issued.userId().value());
        assertThat(field(payload, "jti")).isNotBlank();
        long iat = number(payload, "iat");
        assertThat(iat).isEqualTo(f.clock.instant().getEpochSecond());
        assertThat(number(payload, "exp")).isEqualTo(iat + 600);
    }

    @Test
    void tokenMintedIndependentlyWithTheRightKeyIsAccepted() {
        UserId bob = UserId.random();
        long now = f.clock.instant().getEpochSecond();
        String token = Jws.rs256(Jws.header("RS256", "rsa-1"), Jws.claims(bob.value(), now),
                TokenFixture.RSA_PAIR.getPrivate());

        assertThat(f.tokens.resolveBearer(token))
                .isEqualTo(new BearerResult.Authenticated(bob, BearerResult.Kind.ACCESS_TOKEN, java.util.Set.of()));
    }

    @Test
    void jwksHoldsPublicPartsOnly() {
        String jwks = f.tokens.jwksJson();

        assertThat(jwks).startsWith("{\"keys\":[").contains("\"kid\":\"rsa-1\"", "\"kty\":\"RSA\"", "\"n\":", "\"e\":")
                .doesNotContain("\"d\":", "\"p\":", "\"q\":", "\"dp\":", "\"dq\":", "\"qi\":");
    }

    @Test
    void hmacKeysAreNeverPublished() {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        f.keys.add(SigningKey.hmac("shared-1", secret));

        assertThat(f.tokens.jwksJson()).doesNotContain("shared-1", "\"k\":", "oct");
    }

    @Test
    void es256KeysArePublishedAndVerifyWithTheJdk() throws Exception {
        KeyPair ec = TokenFixture.ecKeyPair();
        f.keys.rotateTo(SigningKey.ec("ec-1", ec));
        f.register("alice@example.com");
        String token = f.issue("alice@example.com").tokens().accessToken();
        String[] parts = token.split("\\.");
        String jwk = keyWithKid(f.tokens.jwksJson(), "ec-1");

        java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("EC");
        params.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.spec.ECParameterSpec spec = params.getParameterSpec(java.security.spec.ECParameterSpec.class);
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(
                new java.security.spec.ECPoint(unsigned(field(jwk, "x")), unsigned(field(jwk, "y"))), spec));
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(key);
        es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));

        assertThat(field(jwk, "crv")).isEqualTo("P-256");
        assertThat(es256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    /** The JSON object of the JWKS whose kid matches; the JWKS is flat enough for a pattern. */
    static String keyWithKid(String jwks, String kid) {
        Matcher m = Pattern.compile("\\{[^{}]*\"kid\":\"" + Pattern.quote(kid) + "\"[^{}]*}").matcher(jwks);
        assertThat(m.find()).as("key %s in %s", kid, jwks).isTrue();
        return m.group();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as("string %s in %s", name, json).isTrue();
        return m.group(1);
    }

    static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("number %s in %s", name, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    static BigInteger unsigned(String base64Url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64Url));
    }
}
