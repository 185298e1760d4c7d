package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.internal.DigestKey;
import dev.portcullis.model.UserId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Verifies access tokens, refusing anything but a compact JWS this service could have issued. The
 * order of checks matters: size first (before any parsing), then shape, then the header (only
 * {@code alg}, {@code typ}, {@code kid} are allowed, so keys or key URLs offered by the token
 * itself are never looked at), then the key named by {@code kid}, whose pinned algorithm must
 * equal {@code alg} (no {@code none}, no HS256-with-the-public-key confusion), then the signature,
 * then the claims. A token in the cache of verified tokens, being the exact text of one that passed
 * them all, skips to the re-checks of expiry, key and epoch. Thread-safe.
 */
final class AccessTokenVerifier {

    /** Longest token considered; anything longer is refused before parsing. */
    static final int MAX_TOKEN_CHARS = 8 * 1024;
    /** Private claim carrying the user's token epoch in strict mode. */
    static final String EPOCH_CLAIM = "pcl_epoch";
    static final String TYPE = "at+jwt";

    private static final Set<String> ALLOWED_HEADER_PARAMETERS = Set.of("alg", "typ", "kid");
    /** Order of the P-256 group: ECDSA signature components must lie in [1, n-1] (CVE-2022-21449). */
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final AccessTokenKeys keys;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final Duration clockSkew;
    private final VerifiedTokenCache cache;
    private final Optional<ToIntFunction<UserId>> epochs;

    AccessTokenVerifier(AccessTokenKeys keys, String issuer, String audience, Clock clock, Duration clockSkew,
                        int cacheSize, Optional<ToIntFunction<UserId>> epochs) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.clockSkew = clockSkew;
        this.cache = new VerifiedTokenCache(cacheSize);
        this.epochs = epochs;
    }

    AccessTokenVerification verify(String token) {
        if (token == null) {
            return invalid(TokenRefusal.MALFORMED);
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return invalid(TokenRefusal.TOO_LARGE);
        }
        Instant now = clock.instant();
        // A hit is the exact text of a token that passed every check below, so it skips them.
        DigestKey key = cache.isEnabled() ? DigestKey.of(token) : null;
        if (key != null) {
            Optional<VerifiedTokenCache.Entry> hit = cache.get(key);
            if (hit.isPresent()) {
                return recheck(key, hit.get(), now);
            }
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot >= token.length() - 1
                || token.indexOf('.', secondDot + 1) >= 0 || !isBase64UrlExceptDots(token)) {
            return invalid(TokenRefusal.MALFORMED);
        }
        try {
            return verifyUncached(token, firstDot, secondDot, now, key);
        } catch (ParseException | IllegalArgumentException e) {
            return invalid(TokenRefusal.MALFORMED);
        }
    }

    int purgeCache(Instant now) {
        return cache.purge(now);
    }

    private AccessTokenVerification recheck(DigestKey key, VerifiedTokenCache.Entry entry, Instant now) {
        if (!now.isBefore(entry.notAfter())) {
            cache.remove(key);
            return invalid(TokenRefusal.EXPIRED);
        }
        if (keys.find(entry.keyId()).isEmpty()) {
            cache.remove(key);
            return invalid(TokenRefusal.UNKNOWN_KEY);
        }
        if (isRevoked(entry.valid().userId(), entry.epoch())) {
            return invalid(TokenRefusal.REVOKED);
        }
        return entry.valid();
    }

    private AccessTokenVerification verifyUncached(String token, int firstDot, int secondDot, Instant now,
                                                   DigestKey cacheKey) throws ParseException {
        String headerPart = token.substring(0, firstDot);
        Map<String, Object> header = JSONObjectUtils.parse(new Base64URL(headerPart).decodeToString());
        if (!ALLOWED_HEADER_PARAMETERS.containsAll(header.keySet())) {
            return invalid(TokenRefusal.UNSUPPORTED_HEADER);
        }
        if (!(header.get("alg") instanceof String alg) || alg.equalsIgnoreCase("none")) {
            return invalid(TokenRefusal.ALGORITHM_NOT_ALLOWED);
        }
        if (!(header.get("kid") instanceof String kid)) {
            return invalid(TokenRefusal.UNKNOWN_KEY);
        }
        Optional<SigningKey> found = keys.find(kid);
        if (found.isEmpty()) {
            return invalid(TokenRefusal.UNKNOWN_KEY);
        }
        SigningKey key = found.get();
        if (!alg.equals(key.algorithm().jwsName())) {
            return invalid(TokenRefusal.ALGORITHM_NOT_ALLOWED);
        }
        if (!(header.get("typ") instanceof String typ)
                || !(typ.equalsIgnoreCase(TYPE) || typ.equalsIgnoreCase("application/" + TYPE))) {
            return invalid(TokenRefusal.WRONG_TYPE);
        }
        Base64URL signature = new Base64URL(token.substring(secondDot + 1));
        if (!signatureVerifies(key, JWSHeader.parse(header, new Base64URL(headerPart)),
                token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), signature)) {
            return invalid(TokenRefusal.BAD_SIGNATURE);
        }

        JWTClaimsSet claims = JWTClaimsSet.parse(JSONObjectUtils.parse(
                new Base64URL(token.substring(firstDot + 1, secondDot)).decodeToString()));
        if (!issuer.equals(claims.getIssuer())) {
            return invalid(TokenRefusal.WRONG_ISSUER);
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            return invalid(TokenRefusal.WRONG_AUDIENCE);
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        String sub = claims.getSubject();
        String jti = claims.getJWTID();
        if (exp == null || iat == null || sub == null || jti == null || jti.isBlank()) {
            return invalid(TokenRefusal.MALFORMED);
        }
        UserId userId = new UserId(sub);
        Instant expiresAt = exp.toInstant();
        Instant notAfter = expiresAt.plus(clockSkew);
        if (!now.isBefore(notAfter)) {
            return invalid(TokenRefusal.EXPIRED);
        }
        Instant latestAcceptedStart = now.plus(clockSkew);
        Date nbf = claims.getNotBeforeTime();
        if (iat.toInstant().isAfter(latestAcceptedStart) || (nbf != null && nbf.toInstant().isAfter(latestAcceptedStart))) {
            return invalid(TokenRefusal.NOT_YET_VALID);
        }
        Integer epochClaim = claims.getIntegerClaim(EPOCH_CLAIM);
        int epoch = epochClaim == null ? 0 : epochClaim;
        if (isRevoked(userId, epoch)) {
            return invalid(TokenRefusal.REVOKED);
        }
        AccessTokenVerification.Valid valid = new AccessTokenVerification.Valid(userId, jti, iat.toInstant(), expiresAt);
        if (cacheKey != null) {
            cache.put(cacheKey, new VerifiedTokenCache.Entry(valid, kid, notAfter, epoch), now);
        }
        return valid;
    }

    private boolean isRevoked(UserId userId, int tokenEpoch) {
        return epochs.isPresent() && tokenEpoch < epochs.get().applyAsInt(userId);
    }

    private static boolean signatureVerifies(SigningKey key, JWSHeader header, byte[] signingInput, Base64URL signature) {
        if (key.algorithm() == TokenAlgorithm.ES256 && !isLegalP256Signature(signature.decode())) {
            return false;
        }
        try {
            return key.verifier().verify(header, signingInput, signature);
        } catch (JOSEException e) {
            return false;
        }
    }

    /** R || S, 32 bytes each, each in [1, n-1]: the JDK bug of CVE-2022-21449 accepted r = s = 0. */
    private static boolean isLegalP256Signature(byte[] sig) {
        if (sig.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(P256_ORDER) < 0 && s.compareTo(P256_ORDER) < 0;
    }

    private static boolean isBase64UrlExceptDots(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static AccessTokenVerification invalid(TokenRefusal reason) {
        return new AccessTokenVerification.Invalid(reason);
    }
}
