package dev.portcullis.token;

import dev.portcullis.internal.Secrets;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PortcullisException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.OptionalInt;

/** Mints access tokens with the active key. Thread-safe. */
final class AccessTokenIssuer {

    private static final JOSEObjectType TYPE = new JOSEObjectType(AccessTokenVerifier.TYPE);

    private final AccessTokenKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Secrets random;

    AccessTokenIssuer(AccessTokenKeys keys, String issuer, String audience, Duration lifetime, Secrets random) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.random = random;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** @param epoch the user's token epoch, present in strict mode only */
    String issue(UserId userId, Instant now, OptionalInt epoch) {
        SigningKey key = keys.active();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(key.algorithm().jwsName()))
                .type(TYPE).keyID(key.keyId()).build();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(userId.value())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(random.next(16));
        epoch.ifPresent(e -> claims.claim(AccessTokenVerifier.EPOCH_CLAIM, e));
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new PortcullisException("signing an access token with key " + key.keyId() + " failed", e);
        }
        return jwt.serialize();
    }
}
