package dev.portcullis.token;

/**
 * The JWS algorithms an access-token key can be pinned to. Each {@link SigningKey} has exactly
 * one; a token whose {@code alg} header differs from its key's is refused.
 */
public enum TokenAlgorithm {
    /**
     * RSASSA-PKCS1-v1_5 with SHA-256, RSA keys of at least 2048 bits. The default: the cheapest
     * asymmetric verify on the JDK's own provider (about 50 µs; see docs/guide/tokens.md).
     */
    RS256,
    /** ECDSA P-256 with SHA-256. Small tokens, but on JDK 17's provider a verify costs about 1.3 ms. */
    ES256,
    /**
     * HMAC with SHA-256, a shared secret of at least 256 bits. Fastest, but whoever can verify can
     * also mint tokens, and the key is never published in the JWKS.
     */
    HS256;

    String jwsName() {
        return name();
    }
}
