package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One access-token key: a key id ({@code kid}), the single algorithm it is pinned to, and the key
 * material. Immutable and thread-safe. Asymmetric keys publish their public half in the JWKS;
 * HMAC keys are never published.
 *
 * <p>Refused at construction, with {@link IllegalArgumentException}: RSA keys under 2048 bits, EC
 * keys not on P-256, HMAC secrets under 256 bits, key ids that are blank, longer than 64
 * characters or outside {@code [A-Za-z0-9._-]}. {@link #toString()} shows no key material.
 */
public final class SigningKey {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MIN_RSA_BITS = 2048;
    private static final int MIN_HMAC_BYTES = 32;

    private final String keyId;
    private final TokenAlgorithm algorithm;
    private final JWK privateJwk;
    private final Optional<JWK> publicJwk;
    private final JWSSigner signer;
    private final JWSVerifier verifier;

    private SigningKey(String keyId, TokenAlgorithm algorithm, JWK privateJwk, Optional<JWK> publicJwk,
                       JWSSigner signer, JWSVerifier verifier) {
        this.keyId = keyId;
        this.algorithm = algorithm;
        this.privateJwk = privateJwk;
        this.publicJwk = publicJwk;
        this.signer = signer;
        this.verifier = verifier;
    }

    /**
     * A new random key for an asymmetric algorithm (RSA 2048 for RS256, P-256 for ES256), its
     * {@code kid} the RFC 7638 thumbprint of the public key. Keys made here live only in memory:
     * persist them with {@link #toPrivateJwkJson()} if tokens must survive a restart or be shared
     * between nodes.
     */
    public static SigningKey generate(TokenAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        try {
            switch (algorithm) {
                case RS256: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(MIN_RSA_BITS);
                    KeyPair pair = g.generateKeyPair();
                    return rsa(thumbprint(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build()), pair);
                }
                case ES256: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    KeyPair pair = g.generateKeyPair();
                    return ec(thumbprint(new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build()), pair);
                }
                default:
                    throw new IllegalArgumentException(
                            "generate makes asymmetric keys only; for HS256 pass 32+ random bytes to SigningKey.hmac");
            }
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("every JDK 17 has RSA and EC P-256", e);
        }
    }

    /** An RS256 key from an RSA key pair of at least 2048 bits. */
    public static SigningKey rsa(String keyId, KeyPair pair) {
        checkKeyId(keyId);
        Objects.requireNonNull(pair, "pair");
        if (!(pair.getPublic() instanceof RSAPublicKey pub) || !(pair.getPrivate() instanceof RSAPrivateKey priv)) {
            throw new IllegalArgumentException("an RS256 key needs an RSA key pair");
        }
        if (pub.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA keys must have at least " + MIN_RSA_BITS + " bits, was "
                    + pub.getModulus().bitLength());
        }
        RSAKey jwk = new RSAKey.Builder(pub).privateKey(priv).keyID(keyId)
                .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build();
        return new SigningKey(keyId, TokenAlgorithm.RS256, jwk, Optional.of(jwk.toPublicJWK()),
                new RSASSASigner(priv), new RSASSAVerifier(pub));
    }

    /** An ES256 key from an EC key pair on P-256. */
    public static SigningKey ec(String keyId, KeyPair pair) {
        checkKeyId(keyId);
        Objects.requireNonNull(pair, "pair");
        if (!(pair.getPublic() instanceof ECPublicKey pub) || !(pair.getPrivate() instanceof ECPrivateKey priv)) {
            throw new IllegalArgumentException("an ES256 key needs an EC key pair");
        }
        if (!Curve.P_256.equals(Curve.forECParameterSpec(pub.getParams()))) {
            throw new IllegalArgumentException("ES256 keys must be on the P-256 curve");
        }
        ECKey jwk = new ECKey.Builder(Curve.P_256, pub).privateKey(priv).keyID(keyId)
                .algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).build();
        try {
            return new SigningKey(keyId, TokenAlgorithm.ES256, jwk, Optional.of(jwk.toPublicJWK()),
                    new ECDSASigner(priv), new ECDSAVerifier(pub));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable EC key: " + e.getMessage(), e);
        }
    }

    /**
     * An HS256 key from a shared secret of at least 32 bytes (256 bits) from a cryptographic
     * random source. The array is copied; wipe yours afterwards if you like.
     */
    public static SigningKey hmac(String keyId, byte[] secret) {
        checkKeyId(keyId);
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_HMAC_BYTES) {
            throw new IllegalArgumentException("HS256 secrets must have at least 256 bits (32 bytes), was "
                    + secret.length * 8 + " bits");
        }
        byte[] copy = Arrays.copyOf(secret, secret.length);
        OctetSequenceKey jwk = new OctetSequenceKey.Builder(copy).keyID(keyId)
                .algorithm(JWSAlgorithm.HS256).keyUse(KeyUse.SIGNATURE).build();
        try {
            return new SigningKey(keyId, TokenAlgorithm.HS256, jwk, Optional.empty(), new MACSigner(copy),
                    new MACVerifier(copy));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HMAC secret: " + e.getMessage(), e);
        }
    }

    /**
     * A key from a private JWK (RFC 7517) as made by {@link #toPrivateJwkJson()} or any JOSE tool:
     * {@code kty} RSA, EC (P-256) or oct, with a {@code kid}. The algorithm follows from the key
     * type; an {@code alg} member that disagrees is refused.
     */
    public static SigningKey fromPrivateJwkJson(String json) {
        Objects.requireNonNull(json, "json");
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK: " + e.getMessage(), e);
        }
        if (!jwk.isPrivate()) {
            throw new IllegalArgumentException("the JWK has no private part; a signing key needs one");
        }
        String kid = jwk.getKeyID();
        if (kid == null) {
            throw new IllegalArgumentException("the JWK needs a \"kid\"");
        }
        SigningKey key;
        try {
            if (jwk instanceof RSAKey r) {
                key = rsa(kid, r.toKeyPair());
            } else if (jwk instanceof ECKey e) {
                key = ec(kid, e.toKeyPair());
            } else if (jwk instanceof OctetSequenceKey o) {
                key = hmac(kid, o.toByteArray());
            } else {
                throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType() + "; use RSA, EC or oct");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWK: " + e.getMessage(), e);
        }
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(key.algorithm.jwsName())) {
            throw new IllegalArgumentException("the JWK's alg " + jwk.getAlgorithm() + " does not fit its key type "
                    + jwk.getKeyType());
        }
        return key;
    }

    public String keyId() {
        return keyId;
    }

    public TokenAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The whole key, private part included, as a JWK: a secret, for a secrets manager or key
     * vault and never for logs or the JWKS endpoint.
     */
    public String toPrivateJwkJson() {
        return privateJwk.toJSONString();
    }

    /** The public half as a JWK, for the JWKS; empty for HMAC keys. */
    Optional<JWK> publicJwk() {
        return publicJwk;
    }

    JWSSigner signer() {
        return signer;
    }

    JWSVerifier verifier() {
        return verifier;
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + ", " + algorithm + "]";
    }

    private static void checkKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (!KID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 1 to 64 characters from [A-Za-z0-9._-], was \"" + keyId + "\"");
        }
    }

    private static String thumbprint(JWK publicJwk) {
        try {
            return publicJwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
