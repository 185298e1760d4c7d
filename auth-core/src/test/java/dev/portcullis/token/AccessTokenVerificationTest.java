package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refusal of the access-token verifier, each with a crafted token, and what it accepts. */
class AccessTokenVerificationTest {

    TokenFixture f;
    UserId alice;
    long now;

    @BeforeEach
    void setUp() {
        f = new TokenFixture();
        alice = UserId.random();
        now = f.clock.instant().getEpochSecond();
    }

    String handMade(String header, String claims) {
        return Jws.rs256(header, claims, TokenFixture.RSA_PAIR.getPrivate());
    }

    TokenRefusal refusal(String token) {
        AccessTokenVerification v = f.tokens.verifyAccessToken(token);
        assertThat(v).isInstanceOf(AccessTokenVerification.Invalid.class);
        return ((AccessTokenVerification.Invalid) v).reason();
    }

    // ---- accepted ------------------------------------------------------------------------------

    @Test
    void issuedTokenVerifiesWithItsClaims() {
        f.register("alice@example.com");
        TokenIssueResult.Issued issued = f.issue("alice@example.com");

        AccessTokenVerification v = f.tokens.verifyAccessToken(issued.tokens().accessToken());

        assertThat(v).isInstanceOf(AccessTokenVerification.Valid.class);
        AccessTokenVerification.Valid valid = (AccessTokenVerification.Valid) v;
        assertThat(valid.userId()).isEqualTo(issued.userId());
        assertThat(valid.issuedAt()).isEqualTo(f.clock.instant());
        assertThat(valid.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(valid.tokenId()).isNotBlank();
        assertThat(issued.tokens().expiresIn()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void handMintedTokenWithTheRightKeyIsAccepted() {
        String token = handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now));

        assertThat(f.tokens.verifyAccessToken(token))
                .isEqualTo(new AccessTokenVerification.Valid(alice, "hand-made-" + now,
                        Instant.ofEpochSecond(now), Instant.ofEpochSecond(now + 600)));
    }

    @Test
    void audienceArrayContainingOursIsAccepted() {
        String claims = Jws.claims(TokenFixture.ISSUER, "[\"https://other.example.com\",\"" + TokenFixture.AUDIENCE + "\"]",
                alice.value(), now, now + 600);

        assertThat(f.tokens.verifyAccessToken(handMade(Jws.header("RS256", "rsa-1"), claims)))
                .isInstanceOf(AccessTokenVerification.Valid.class);
    }

    @Test
    void typMayBeTheFullMediaType() {
        String header = "{\"alg\":\"RS256\",\"typ\":\"application/at+jwt\",\"kid\":\"rsa-1\"}";

        assertThat(f.tokens.verifyAccessToken(handMade(header, Jws.claims(alice.value(), now))))
                .isInstanceOf(AccessTokenVerification.Valid.class);
    }

    // ---- algorithm ---------------------------------------------------------------------------

    @Test
    void algNoneWithoutSignatureIsRefused() {
        String token = Jws.signingInput("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\"}",
                Jws.claims(alice.value(), now)) + ".";

        assertThat(refusal(token)).isEqualTo(TokenRefusal.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void algNoneWithAnySignatureIsRefused(String none) {
        String token = Jws.signingInput("{\"alg\":\"" + none + "\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\"}",
                Jws.claims(alice.value(), now)) + ".AAAA";

        assertThat(refusal(token)).isEqualTo(TokenRefusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void hs256SignedWithThePublicKeyBytesIsRefused() {
        byte[] der = TokenFixture.RSA_PAIR.getPublic().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        String claims = Jws.claims(alice.value(), now);

        assertThat(refusal(Jws.hs256(Jws.header("HS256", "rsa-1"), claims, der)))
                .isEqualTo(TokenRefusal.ALGORITHM_NOT_ALLOWED);
        assertThat(refusal(Jws.hs256(Jws.header("HS256", "rsa-1"), claims, pem.getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(TokenRefusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void otherAlgorithmThanTheKeysIsRefusedEvenWhenTheSignatureWouldFit() {
        // RS512 with the right RSA key: a valid signature, but the key is pinned to RS256.
        String header = Jws.header("RS512", "rsa-1");
        String input = Jws.signingInput(header, Jws.claims(alice.value(), now));
        String token;
        try {
            java.security.Signature s = java.security.Signature.getInstance("SHA512withRSA");
            s.initSign(TokenFixture.RSA_PAIR.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            token = input + "." + Jws.b64(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }

        assertThat(refusal(token)).isEqualTo(TokenRefusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void es256ZeroSignatureIsRefused() {
        KeyPair ec = TokenFixture.ecKeyPair();
        f.keys.add(SigningKey.ec("ec-1", ec));
        String input = Jws.signingInput(Jws.header("ES256", "ec-1"), Jws.claims(alice.value(), now));

        assertThat(refusal(input + "." + Jws.b64(new byte[64]))).isEqualTo(TokenRefusal.BAD_SIGNATURE);
        // The same token signed properly passes: the refusal is about the signature, not the setup.
        assertThat(f.tokens.verifyAccessToken(Jws.es256(Jws.header("ES256", "ec-1"), Jws.claims(alice.value(), now),
                ec.getPrivate()))).isInstanceOf(AccessTokenVerification.Valid.class);
    }

    @Test
    void es256SignatureWithComponentsEqualToTheGroupOrderIsRefused() {
        f.keys.add(SigningKey.ec("ec-1", TokenFixture.ecKeyPair()));
        byte[] n = java.util.HexFormat.of().parseHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        byte[] sig = new byte[64];
        System.arraycopy(n, 0, sig, 0, 32);
        System.arraycopy(n, 0, sig, 32, 32);
        String input = Jws.signingInput(Jws.header("ES256", "ec-1"), Jws.claims(alice.value(), now));

        assertThat(refusal(input + "." + Jws.b64(sig))).isEqualTo(TokenRefusal.BAD_SIGNATURE);
    }

    // ---- keys --------------------------------------------------------------------------------

    @Test
    void unknownKidIsRefused() {
        KeyPair attacker = TokenFixture.rsaKeyPair();
        String token = Jws.rs256(Jws.header("RS256", "rsa-2"), Jws.claims(alice.value(), now), attacker.getPrivate());

        assertThat(refusal(token)).isEqualTo(TokenRefusal.UNKNOWN_KEY);
    }

    @Test
    void missingKidIsRefused() {
        String token = handMade("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}", Jws.claims(alice.value(), now));

        assertThat(refusal(token)).isEqualTo(TokenRefusal.UNKNOWN_KEY);
    }

    @Test
    void tokenSignedByAnotherKeyUnderOurKidIsRefused() {
        KeyPair attacker = TokenFixture.rsaKeyPair();
        String token = Jws.rs256(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now), attacker.getPrivate());

        assertThat(refusal(token)).isEqualTo(TokenRefusal.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwk", "jku", "x5u", "x5c", "x5t", "crit", "b64", "cty"})
    void headersOutsideAlgTypKidAreRefused(String parameter) {
        String value = switch (parameter) {
            case "jwk" -> "{\"kty\":\"oct\",\"k\":\"AAAA\"}";
            case "x5c", "crit" -> "[\"exp\"]";
            case "b64" -> "false";
            default -> "\"https://evil.example/keys\"";
        };
        String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\",\"" + parameter + "\":" + value + "}";

        assertThat(refusal(handMade(header, Jws.claims(alice.value(), now)))).isEqualTo(TokenRefusal.UNSUPPORTED_HEADER);
    }

    @Test
    void tokenCarryingItsOwnKeyIsRefused() {
        KeyPair attacker = TokenFixture.rsaKeyPair();
        java.security.interfaces.RSAPublicKey pub = (java.security.interfaces.RSAPublicKey) attacker.getPublic();
        String jwk = "{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"n\":\"" + Jws.b64(unsigned(pub.getModulus()))
                + "\",\"e\":\"" + Jws.b64(unsigned(pub.getPublicExponent())) + "\"}";
        String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\",\"jwk\":" + jwk + "}";

        assertThat(refusal(Jws.rs256(header, Jws.claims(alice.value(), now), attacker.getPrivate())))
                .isEqualTo(TokenRefusal.UNSUPPORTED_HEADER);
    }

    // ---- type and claims ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "id+jwt", "application/jwt", "at+jwt2"})
    void otherTokenTypesAreRefused(String typ) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"" + typ + "\",\"kid\":\"rsa-1\"}";

        assertThat(refusal(handMade(header, Jws.claims(alice.value(), now)))).isEqualTo(TokenRefusal.WRONG_TYPE);
    }

    @Test
    void missingTypIsRefused() {
        assertThat(refusal(handMade("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", Jws.claims(alice.value(), now))))
                .isEqualTo(TokenRefusal.WRONG_TYPE);
    }

    @Test
    void wrongIssuerIsRefused() {
        String claims = Jws.claims("https://evil.example.com", "\"" + TokenFixture.AUDIENCE + "\"", alice.value(), now, now + 600);

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.WRONG_ISSUER);
    }

    @Test
    void wrongAudienceIsRefused() {
        String claims = Jws.claims(TokenFixture.ISSUER, "\"https://other-api.example.com\"", alice.value(), now, now + 600);

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.WRONG_AUDIENCE);
    }

    @Test
    void missingAudienceIsRefused() {
        String claims = "{\"iss\":\"" + TokenFixture.ISSUER + "\",\"sub\":\"" + alice + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 600) + ",\"jti\":\"x\"}";

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.WRONG_AUDIENCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp", "iat", "sub", "jti"})
    void missingRequiredClaimIsRefused(String claim) {
        String claims = Jws.claims(alice.value(), now).replace("\"" + claim + "\":", "\"x-" + claim + "\":");

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.MALFORMED);
    }

    @Test
    void illTypedClaimIsRefused() {
        String claims = Jws.claims(alice.value(), now).replace("\"exp\":" + (now + 600), "\"exp\":\"tomorrow\"");

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.MALFORMED);
    }

    @Test
    void expiredTokenIsRefusedOnceTheSkewHasPassed() {
        f.register("alice@example.com");
        String token = f.issue("alice@example.com").tokens().accessToken();

        f.clock.advance(Duration.ofMinutes(10).plusSeconds(29));
        assertThat(f.tokens.verifyAccessToken(token)).isInstanceOf(AccessTokenVerification.Valid.class);

        f.clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(token)).isEqualTo(TokenRefusal.EXPIRED);
    }

    @Test
    void expiredTokenIsRefusedWithoutTheCacheToo() {
        f = new TokenFixture(b -> b.verifiedTokenCacheSize(0));
        String token = handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now));

        f.clock.advance(Duration.ofMinutes(10).plusSeconds(30));

        assertThat(refusal(token)).isEqualTo(TokenRefusal.EXPIRED);
    }

    @Test
    void clockSkewIsConfigurable() {
        f = new TokenFixture(b -> b.clockSkew(Duration.ZERO));
        String token = handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now));

        f.clock.advance(Duration.ofMinutes(10));

        assertThat(refusal(token)).isEqualTo(TokenRefusal.EXPIRED);
    }

    @Test
    void tokenFromTheFutureIsRefusedBeyondTheSkew() {
        assertThat(f.tokens.verifyAccessToken(handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now + 30))))
                .isInstanceOf(AccessTokenVerification.Valid.class);
        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now + 31))))
                .isEqualTo(TokenRefusal.NOT_YET_VALID);
    }

    @Test
    void notBeforeInTheFutureIsRefused() {
        String claims = Jws.claims(alice.value(), now).replace("}", ",\"nbf\":" + (now + 120) + "}");

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.NOT_YET_VALID);
    }

    // ---- shape and size ----------------------------------------------------------------------

    @Test
    void tamperedPayloadIsRefused() {
        f.register("alice@example.com");
        String token = f.issue("alice@example.com").tokens().accessToken();
        String[] parts = token.split("\\.");
        String forged = Jws.decode(parts[1]).replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"" + UserId.random() + "\"");

        assertThat(refusal(parts[0] + "." + Jws.b64(forged) + "." + parts[2])).isEqualTo(TokenRefusal.BAD_SIGNATURE);
    }

    @Test
    void tamperedHeaderIsRefused() {
        String token = handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now));
        String[] parts = token.split("\\.");
        String header = Jws.b64("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\" }");

        assertThat(refusal(header + "." + parts[1] + "." + parts[2])).isEqualTo(TokenRefusal.BAD_SIGNATURE);
    }

    @Test
    void truncatedTokensAreRefused() {
        String token = handMade(Jws.header("RS256", "rsa-1"), Jws.claims(alice.value(), now));
        int secondDot = token.lastIndexOf('.');

        assertThat(refusal(token.substring(0, token.length() - 10))).isEqualTo(TokenRefusal.BAD_SIGNATURE);
        assertThat(refusal(token.substring(0, secondDot + 1))).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(refusal(token.substring(0, secondDot))).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(refusal(token.substring(0, token.indexOf('.')))).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(refusal(token.substring(0, 20))).isEqualTo(TokenRefusal.MALFORMED);
    }

    @Test
    void oversizedTokensAreRefusedBeforeParsing() {
        String padding = "A".repeat(100 * 1024);
        String token = Jws.b64("{\"alg\":\"RS256\"}") + "." + padding + "." + padding;

        assertThat(refusal(token)).isEqualTo(TokenRefusal.TOO_LARGE);
        assertThat(refusal("A".repeat(AccessTokenVerifier.MAX_TOKEN_CHARS + 1))).isEqualTo(TokenRefusal.TOO_LARGE);
    }

    @Test
    void largeButAcceptedSizeClaimsStillVerify() {
        String claims = Jws.claims(alice.value(), now).replace("}", ",\"pad\":\"" + "x".repeat(5000) + "\"}");

        assertThat(f.tokens.verifyAccessToken(handMade(Jws.header("RS256", "rsa-1"), claims)))
                .isInstanceOf(AccessTokenVerification.Valid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a token", "a.b.c", "a..c", ".b.c", "a.b.", "a.b.c.d", "e30.e30.e30", "eyJ.eyJ.AAAA",
            "a+b.c/d.e=f", "e30=.e30.e30"})
    void malformedTokensAreRefused(String token) {
        assertThat(refusal(token)).isIn(TokenRefusal.MALFORMED, TokenRefusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void duplicateHeaderOrClaimNamesAreRefused() {
        String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\",\"kid\":\"other\"}";
        String claims = Jws.claims(alice.value(), now).replace("}", ",\"sub\":\"" + UserId.random() + "\"}");

        assertThat(refusal(handMade(header, Jws.claims(alice.value(), now)))).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.MALFORMED);
    }

    @Test
    void nullTokenIsRefused() {
        assertThat(refusal(null)).isEqualTo(TokenRefusal.MALFORMED);
    }

    @Test
    void headerThatIsNotJsonIsRefused() {
        String token = Jws.b64("alg=RS256") + "." + Jws.b64(Jws.claims(alice.value(), now)) + ".AAAA";

        assertThat(refusal(token)).isEqualTo(TokenRefusal.MALFORMED);
    }

    @Test
    void subjectThatIsNotAUserIdIsRefused() {
        String claims = Jws.claims("x".repeat(65), now);

        assertThat(refusal(handMade(Jws.header("RS256", "rsa-1"), claims))).isEqualTo(TokenRefusal.MALFORMED);
    }

    private static byte[] unsigned(java.math.BigInteger i) {
        byte[] b = i.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
