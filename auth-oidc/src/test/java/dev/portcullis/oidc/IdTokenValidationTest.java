package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.portcullis.testkit.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ID-token checks, on tokens made here: what no real provider would send. */
class IdTokenValidationTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String CLIENT = "portcullis-app";
    private static final String SECRET = "a client secret that is at least thirty-two bytes long";

    final Instant now = Instant.now();
    final MutableClock clock = MutableClock.at(now);
    final RSAKey key = generate("k1");
    final OidcLogin login = OidcLogin.builder()
            .provider(OidcProvider.builder("idp").issuer(URI.create(ISSUER)).client(CLIENT, SECRET).build())
            .redirectBase(URI.create("https://app.example.com/auth/oidc/")).clock(clock).build();
    final IDTokenValidator validator = new IDTokenValidator(new Issuer(ISSUER), new ClientID(CLIENT),
            new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256),
                    new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK()))), null);

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(CLIENT).claim("nonce", "n-1")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    static SignedJWT signed(RSAKey with, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt;
    }

    boolean accepted(JWT token) {
        return login.resolver().validate(validator, token, new Nonce("n-1")).isPresent();
    }

    @Test
    void tokenSignedWithThePublishedKeyIsAccepted() throws Exception {
        assertThat(accepted(signed(key, claims().build()))).isTrue();
    }

    @Test
    void unsignedTokenIsRefused() {
        assertThat(accepted(new PlainJWT(claims().build()))).isFalse();
    }

    @Test
    void tokenSignedWithTheClientSecretIsRefused() throws Exception {
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner(SECRET));

        assertThat(accepted(hmac)).isFalse();
    }

    @Test
    void tokenSignedWithAnUnpublishedKeyIsRefused() throws Exception {
        assertThat(accepted(signed(generate("k1"), claims().build()))).isFalse();
        assertThat(accepted(signed(generate("k2"), claims().build()))).isFalse();
    }

    @Test
    void wrongIssuerAudienceNonceOrAuthorizedPartyIsRefused() throws Exception {
        assertThat(accepted(signed(key, claims().issuer("https://evil.example").build()))).isFalse();
        assertThat(accepted(signed(key, claims().audience("another-client").build()))).isFalse();
        assertThat(accepted(signed(key, claims().claim("nonce", "n-2").build()))).isFalse();
        assertThat(accepted(signed(key, new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(CLIENT)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build()))).as("no nonce").isFalse();
        assertThat(accepted(signed(key, claims().audience(List.of(CLIENT, "another-client"))
                .claim("azp", "another-client").build()))).isFalse();
        assertThat(accepted(signed(key, claims().audience(List.of(CLIENT, "another-client")).build())))
                .as("several audiences without azp").isFalse();
        assertThat(accepted(signed(key, claims().audience(List.of(CLIENT, "another-client")).claim("azp", CLIENT).build())))
                .isTrue();
    }

    @Test
    void expiryAndIssueTimeAreCheckedOnTheInjectedClockWithSixtySecondsOfSkew() throws Exception {
        SignedJWT token = signed(key, claims().build());

        clock.advance(Duration.ofSeconds(300 + 59));
        assertThat(accepted(token)).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(accepted(token)).isFalse();

        clock.set(now.minusSeconds(61));
        assertThat(accepted(token)).as("issued in the future").isFalse();
    }

    @Test
    void onlyAsymmetricAlgorithmsOfTheDiscoveryDocumentAreAccepted() {
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(new Issuer(ISSUER), List.of(SubjectType.PUBLIC),
                URI.create(ISSUER + "/jwks"));
        metadata.setIDTokenJWSAlgs(List.of(new JWSAlgorithm("none"), JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256));
        assertThat(ProviderResolver.signingAlgorithms(metadata)).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

        metadata.setIDTokenJWSAlgs(List.of(new JWSAlgorithm("none"), JWSAlgorithm.HS512));
        assertThat(ProviderResolver.signingAlgorithms(metadata)).containsExactly(JWSAlgorithm.RS256);
    }
}
