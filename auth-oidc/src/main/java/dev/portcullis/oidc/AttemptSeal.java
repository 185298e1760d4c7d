package dev.portcullis.oidc;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Seals an authorization attempt into its cookie value and opens it again: AES-256-GCM under the
 * login's key (JWE, {@code dir}/{@code A256GCM}), so the browser can neither read the PKCE verifier
 * and nonce nor change anything, and any node holding the key can complete the attempt.
 */
final class AttemptSeal {

    /** What one attempt remembers between the redirect and the callback. */
    record Attempt(String provider, String state, String nonce, String verifier, Optional<String> next,
                   Purpose purpose, Instant expiresAt) {
    }

    private static final JWEHeader HEADER = new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM);

    private final byte[] key;
    private final Clock clock;

    AttemptSeal(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    String seal(Attempt a) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("p", a.provider()).claim("s", a.state())
                .claim("n", a.nonce()).claim("v", a.verifier()).claim("u", a.purpose().name())
                .expirationTime(Date.from(a.expiresAt()));
        a.next().ifPresent(n -> claims.claim("x", n));
        EncryptedJWT jwt = new EncryptedJWT(HEADER, claims.build());
        try {
            jwt.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal an OIDC attempt", e);
        }
        return jwt.serialize();
    }

    /** The attempt, when {@code sealed} is genuine, unexpired, for this provider and this state. */
    Optional<Attempt> open(String sealed, String provider, String state) {
        try {
            EncryptedJWT jwt = EncryptedJWT.parse(sealed);
            if (!JWEAlgorithm.DIR.equals(jwt.getHeader().getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(jwt.getHeader().getEncryptionMethod())) {
                return Optional.empty();
            }
            jwt.decrypt(new DirectDecrypter(key));
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant expires = c.getExpirationTime() == null ? Instant.MIN : c.getExpirationTime().toInstant();
            String sealedState = c.getStringClaim("s");
            String nonce = c.getStringClaim("n");
            String verifier = c.getStringClaim("v");
            String purpose = c.getStringClaim("u");
            if (nonce == null || verifier == null || purpose == null || !clock.instant().isBefore(expires) || !provider.equals(c.getStringClaim("p")) || sealedState == null
                    || !MessageDigest.isEqual(sealedState.getBytes(StandardCharsets.UTF_8),
                            state.getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
            return Optional.of(new Attempt(provider, sealedState, nonce, verifier,
                    Optional.ofNullable(c.getStringClaim("x")), Purpose.valueOf(purpose), expires));
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty(); // tampered, another key, or not ours at all: no attempt
        }
    }
}
