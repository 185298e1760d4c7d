package dev.portcullis.token;

/**
 * Why a token was refused. For logs and metrics only: a client should get the same answer (HTTP
 * 401, {@code invalid_token}) whatever the reason, so that probing teaches it nothing.
 */
public enum TokenRefusal {
    /** Longer than the size limit; refused before any parsing. */
    TOO_LARGE,
    /** Not a compact JWS / not shaped like the expected token / claims missing or ill-typed. */
    MALFORMED,
    /** The header carries a parameter outside {@code alg}, {@code typ}, {@code kid} (e.g. {@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code crit}). */
    UNSUPPORTED_HEADER,
    /** {@code alg} is {@code none}, or differs from the algorithm pinned to the key named by {@code kid}. */
    ALGORITHM_NOT_ALLOWED,
    /** No {@code kid}, or a {@code kid} not in the key set (never known, or retired). */
    UNKNOWN_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** {@code typ} is not {@code at+jwt}: some other kind of JWT. */
    WRONG_TYPE,
    WRONG_ISSUER,
    WRONG_AUDIENCE,
    /** Past {@code exp} plus the allowed clock skew; for opaque tokens, past their expiry. */
    EXPIRED,
    /** {@code iat} or {@code nbf} further in the future than the allowed clock skew. */
    NOT_YET_VALID,
    /** Strict mode: the user's credentials were revoked after the token was issued. */
    REVOKED,
    /** An opaque token (refresh token, API key) that is not stored: never issued, revoked or purged. */
    UNKNOWN_TOKEN,
    /** A refresh token presented a second time: its family has been revoked (theft detection). */
    REUSED
}
