package dev.portcullis.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.portcullis.identity.VerifiedIdentity;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OidcLogin}'s side of each provider: its discovery document and signing keys, how the
 * client authenticates at its token endpoint, and the checks on its ID tokens (the rules are on
 * {@link OidcLogin}). A document is resolved on first use and kept; a failed resolution is not
 * kept, so a provider that is down is asked again next time. Thread-safe.
 */
final class ProviderResolver {

    /** A provider's discovery document and the validator built from it. */
    record Resolved(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    private final Clock clock;
    private final Duration clockSkew;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Duration jwksRefreshMinInterval;
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

    /**
     * @param clock                  the time checks of ID tokens are made on it, besides Nimbus's on the system clock
     * @param clockSkew              tolerance on {@code exp} and {@code iat}
     * @param jwksRefreshMinInterval least time between two key fetches; zero: no limit
     */
    ProviderResolver(Clock clock, Duration clockSkew, int connectTimeoutMillis, int readTimeoutMillis,
                     Duration jwksRefreshMinInterval) {
        this.clock = clock;
        this.clockSkew = clockSkew;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.jwksRefreshMinInterval = jwksRefreshMinInterval;
    }

    /** The provider's document and validator, from the cache or by discovery; empty while the provider cannot be used. */
    Optional<Resolved> resolve(OidcProvider provider) {
        Resolved known = resolved.get(provider.id());
        if (known != null) {
            return Optional.of(known);
        }
        try {
            // Nimbus refuses a document whose issuer differs from the one asked for (OIDC Discovery §4.3).
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(provider.issuer().toString()),
                    connectTimeoutMillis, readTimeoutMillis);
            if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                    || metadata.getJWKSetURI() == null) {
                return Optional.empty();
            }
            URL jwks = metadata.getJWKSetURI().toURL();
            JWKSourceBuilder<SecurityContext> keys = JWKSourceBuilder.create(jwks,
                    new DefaultResourceRetriever(connectTimeoutMillis, readTimeoutMillis, 512 * 1024));
            keys = jwksRefreshMinInterval.isZero() ? keys.rateLimited(false)
                    : keys.rateLimited(jwksRefreshMinInterval.toMillis());
            JWKSource<SecurityContext> source = keys.build();
            Set<JWSAlgorithm> algorithms = signingAlgorithms(metadata);
            IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(provider.clientId()),
                    new JWSVerificationKeySelector<>(algorithms, source), null);
            validator.setMaxClockSkew((int) clockSkew.toSeconds());
            Resolved r = new Resolved(metadata, validator);
            resolved.putIfAbsent(provider.id(), r);
            return Optional.of(r);
        } catch (GeneralException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The provider's ID-token algorithms, asymmetric ones only: never {@code none}, never HMAC. */
    static Set<JWSAlgorithm> signingAlgorithms(OIDCProviderMetadata metadata) {
        Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
        if (metadata.getIDTokenJWSAlgs() != null) {
            for (JWSAlgorithm alg : metadata.getIDTokenJWSAlgs()) {
                if (JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg)
                        || JWSAlgorithm.Family.ED.contains(alg)) {
                    allowed.add(alg);
                }
            }
        }
        if (allowed.isEmpty()) {
            allowed.add(JWSAlgorithm.RS256); // OpenID Connect Discovery: RS256 must be supported
        }
        return allowed;
    }

    /** {@code client_secret_basic}, unless the provider lists only {@code client_secret_post} of the two. */
    static ClientAuthentication clientAuthentication(OidcProvider provider, Resolved r) {
        ClientID id = new ClientID(provider.clientId());
        Secret secret = new Secret(provider.clientSecret());
        List<ClientAuthenticationMethod> methods = r.metadata().getTokenEndpointAuthMethods();
        if (methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return new ClientSecretPost(id, secret);
        }
        return new ClientSecretBasic(id, secret);
    }

    /**
     * Nimbus's checks (signature, iss, aud, exp, iat, nonce), then the authorized party (OpenID
     * Connect Core §3.1.3.7: with several audiences {@code azp} must be present, and when present it
     * must be this client) and the time checks on the injected clock.
     */
    Optional<IDTokenClaimsSet> validate(IDTokenValidator validator, JWT idToken, Nonce nonce) {
        IDTokenClaimsSet claims;
        try {
            claims = validator.validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
        String client = validator.getClientID().getValue();
        Object azp = claims.getClaim("azp");
        if ((azp != null && !client.equals(azp)) || (claims.getAudience().size() > 1 && azp == null)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant exp = claims.getExpirationTime().toInstant();
        Instant iat = claims.getIssueTime().toInstant();
        if (!now.minus(clockSkew).isBefore(exp) || iat.isAfter(now.plus(clockSkew))) {
            return Optional.empty();
        }
        return Optional.of(claims);
    }

    /** The verified identity an ID token's claims describe (claims of the wrong type count as absent). */
    static VerifiedIdentity identity(OidcProvider provider, IDTokenClaimsSet claims) {
        Object email = claims.getClaim("email");
        Object verified = claims.getClaim("email_verified");
        Object acr = claims.getClaim("acr");
        List<String> amr = new ArrayList<>();
        Object amrClaim = claims.getClaim("amr");
        if (amrClaim instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(amr::add);
        }
        return new VerifiedIdentity(claims.getIssuer().getValue(), claims.getSubject().getValue(),
                provider.displayName(), email instanceof String s ? Optional.of(s) : Optional.empty(),
                Boolean.TRUE.equals(verified) || "true".equals(verified), provider.authoritativeDomains(),
                provider.secondFactorShown(acr instanceof String s ? s : null, amr), amr);
    }
}
