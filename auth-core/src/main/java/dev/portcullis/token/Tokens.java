package dev.portcullis.token;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.Revocation;
import dev.portcullis.internal.Secrets;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;

import dev.portcullis.internal.CredentialCheck.Outcome;
import dev.portcullis.internal.SecondFactorCheck;
import dev.portcullis.internal.SecondFactorCheck.CodeOutcome;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Stateless token authentication for APIs: JWT access tokens, rotating refresh tokens, personal
 * access tokens (API keys) and the JWKS. Obtain it from {@code Portcullis.tokens()},
 * configured by {@link TokenSettings}. Immutable and thread-safe.
 *
 * <h2>Access tokens</h2>
 * Compact JWS, header {@code typ: at+jwt} (RFC 9068), {@code kid} of the signing key, claims
 * {@code iss}, {@code aud}, {@code sub} (the user id), {@code iat}, {@code exp}, {@code jti}, and in
 * strict mode {@code pcl_epoch}. Lifetime 10 minutes by default. The default algorithm is RS256,
 * chosen by measurement on JDK 17 (one verify, median of 9 rounds on the 2-core build machine):
 * RS256 ≈ 54 µs, Ed25519 ≈ 660 µs (JDK) / 79 µs (Bouncy Castle), ES256 ≈ 1270 µs (JDK) / 200 µs
 * (Bouncy Castle), HS256 ≈ 2.7 µs. RS256 is the fastest asymmetric verify with no extra provider,
 * and remote services can check it from the JWKS alone. Verified tokens are remembered by SHA-256
 * in a bounded cache (a hit ≈ 0.6 µs), re-checked against the clock, the key set and strict mode on
 * every hit. See {@code docs/guide/tokens.md}.
 *
 * <h2>Refresh tokens</h2>
 * Opaque, 256 random bits, stored only as SHA-256, rotated on every use (OAuth 2.0 Security BCP,
 * RFC 9700 §4.14). Presenting a used token again revokes its whole family; two concurrent
 * refreshes of one token count as such a reuse (exactly one rotates, then the family dies), so a
 * client must serialise its refreshes.
 *
 * <h2>Revocation</h2>
 * Every revocation through {@code Portcullis} (see {@link TokenState}) deletes refresh
 * tokens and API keys on log out everywhere or elsewhere, password change or reset, email change
 * and disable. Access tokens
 * are self-contained and live until they expire, unless {@linkplain TokenSettings.Builder#strictMode strict
 * mode} is on.
 *
 * <p>Bad tokens are results ({@link AccessTokenVerification.Invalid}, {@link BearerResult.Refused},
 * {@link RefreshResult.Refused}); only store faults throw, as
 * {@link dev.portcullis.spi.PortcullisException}s.
 */
public final class Tokens {

    private static final System.Logger LOG = System.getLogger(Tokens.class.getName());

    /** Prefix of every API key, so a bearer token can be told apart from a JWT and found by secret scanners. */
    public static final String API_KEY_PREFIX = "pcl_";
    /** Use is recorded at most this often per key, so busy scripts do not turn every request into a write. */
    static final Duration API_KEY_TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Core core;
    private final RefreshTokenStore refreshTokens;
    private final ApiKeyStore apiKeys;
    private final Optional<EpochCache> epochs;
    private final AccessTokenKeys keys;
    private final AccessTokenIssuer issuer;
    private final AccessTokenVerifier verifier;
    private final Clock clock;
    private final Secrets random;
    private final Duration refreshTokenLifetime;
    private final Duration refreshTokenMaxLifetime;
    private final boolean strict;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public Tokens(Core core, TokenSettings settings, TokenState state) {
        this.core = Objects.requireNonNull(core, "core");
        this.refreshTokens = state.refreshTokens;
        this.apiKeys = state.apiKeys;
        this.epochs = state.epochs;
        this.keys = settings.keys();
        this.clock = core.clock();
        this.random = core.secrets();
        this.refreshTokenLifetime = settings.refreshTokenLifetime();
        this.refreshTokenMaxLifetime = settings.refreshTokenMaxLifetime();
        this.strict = settings.strictMode();
        this.issuer = new AccessTokenIssuer(keys, settings.issuer(), settings.audience(), settings.accessTokenLifetime(),
                random);
        Duration epochTtl = settings.epochCacheTtl();
        Optional<ToIntFunction<UserId>> epochSource = strict
                ? epochs.map(cache -> user -> cache.current(user, clock, epochTtl))
                : Optional.empty();
        this.verifier = new AccessTokenVerifier(keys, settings.issuer(), settings.audience(), clock,
                settings.clockSkew(), settings.verifiedTokenCacheSize(), epochSource);
    }


    /**
     * Checks credentials exactly as a form login does (the same validation, throttling, one
     * password verify, no user enumeration) and on success issues an access token and a refresh
     * token of a new family. A password reset or change that ran while the password was being
     * checked withdraws the new family again. The password inside {@code credentials} is wiped.
     */
    public TokenIssueResult issue(Credentials credentials, String clientAddress) {
        return issue(credentials, null, clientAddress);
    }

    /**
     * As {@link #issue(Credentials, String)}, for an account that may have a second factor: with
     * one, {@code code} (a 6-digit code of the authenticator app, or a recovery code) is required
     * and checked after the password, under the code throttle; without it the answer is
     * {@link TokenIssueResult.SecondFactorRequired}. An account the policy requires to enrol is
     * refused ({@link TokenIssueResult.EnrolmentRequired}): it enrols in the browser first.
     *
     * @param code null or empty when the client has none
     */
    public TokenIssueResult issue(Credentials credentials, String code, String clientAddress) {
        Objects.requireNonNull(credentials, "credentials");
        try {
            Outcome outcome = core.credentials().signIn(credentials, clientAddress);
            if (outcome instanceof Outcome.Verified ok) {
                SecondFactorCheck.Requirement needs = core.factors().requirement(ok.user());
                if (needs == SecondFactorCheck.Requirement.ENROLMENT) {
                    return new TokenIssueResult.EnrolmentRequired();
                } else if (needs == SecondFactorCheck.Requirement.CODE) {
                    if (code == null || code.isEmpty()) {
                        return new TokenIssueResult.SecondFactorRequired();
                    }
                    CodeOutcome checked = core.factors().verify(ok.user(), code, clientAddress, Optional.empty(),
                            () -> true);
                    if (checked instanceof CodeOutcome.Invalid r) {
                        return new TokenIssueResult.Invalid(r.errors());
                    } else if (checked instanceof CodeOutcome.Throttled r) {
                        return new TokenIssueResult.Throttled(r.retryAfter());
                    } else if (!(checked instanceof CodeOutcome.Verified)) {
                        return new TokenIssueResult.WrongCode();
                    }
                }
                UserId userId = ok.user().id();
                String stamp = AccountFingerprint.stamp(ok.user());
                Instant now = clock.instant();
                String family = random.next(16);
                TokenPair pair = newPair(userId, family, now, now);
                if (!core.credentials().unchanged(userId, stamp, credentials.password())) {
                    refreshTokens.deleteFamily(family);
                    return new TokenIssueResult.InvalidCredentials();
                }
                return new TokenIssueResult.Issued(userId, pair);
            } else if (outcome instanceof Outcome.Invalid r) {
                return new TokenIssueResult.Invalid(r.errors());
            } else if (outcome instanceof Outcome.Throttled r) {
                return new TokenIssueResult.Throttled(r.retryAfter());
            } else if (outcome instanceof Outcome.EmailNotVerified r) {
                return new TokenIssueResult.EmailNotVerified(r.userId());
            } else if (outcome instanceof Outcome.Busy r) {
                return new TokenIssueResult.Busy(r.retryAfter());
            }
            return new TokenIssueResult.InvalidCredentials();
        } finally {
            if (credentials.password() != null) {
                credentials.password().close();
            }
        }
    }

    /**
     * The enabled account behind a verified bearer credential, through the same per-node lookup
     * cache as sessions ({@code SessionPolicy.lookupCacheTtl()}): empty when it does not exist or
     * is disabled. {@link CurrentUser#sessionId()} is null.
     */
    public Optional<CurrentUser> account(UserId userId) {
        return core.resolver().account(Objects.requireNonNull(userId, "userId"));
    }

    /**
     * Exchanges a refresh token for a new pair; the presented token is used up. A token presented
     * after it was used revokes its whole family ({@link TokenRefusal#REUSED}); so does losing a
     * race against a concurrent refresh of the same token.
     */
    public RefreshResult refresh(String refreshToken) {
        if (refreshToken == null || !SECRET.matcher(refreshToken).matches()) {
            return new RefreshResult.Refused(TokenRefusal.MALFORMED);
        }
        TokenDigest id = TokenDigest.of(refreshToken);
        Optional<RefreshTokenRecord> found = refreshTokens.find(id);
        if (found.isEmpty()) {
            return new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN);
        }
        RefreshTokenRecord token = found.get();
        Instant now = clock.instant();
        if (token.usedAt().isPresent()) {
            return reused(token);
        }
        if (!now.isBefore(token.expiresAt())) {
            return new RefreshResult.Refused(TokenRefusal.EXPIRED);
        }
        // The successor is stored before the CAS: a racing loser's family revocation, which comes
        // after its failed CAS and so after this insert, is then sure to remove it as well.
        Optional<TokenPair> pair = newPairIfFamilyAlive(token.userId(), token.familyId(), token.authenticatedAt(), now);
        if (pair.isEmpty()) {
            return new RefreshResult.Refused(TokenRefusal.EXPIRED);
        }
        if (!refreshTokens.markUsed(id, now)) {
            return reused(token);
        }
        return new RefreshResult.Refreshed(token.userId(), pair.get());
    }

    /**
     * Revokes the refresh token's whole family: the client's "log out" (RFC 7009 semantics:
     * unknown tokens are not an error). Access tokens already issued live until they expire,
     * unless strict mode is on and the user logs out everywhere.
     *
     * @return whether a family was revoked
     */
    public boolean revoke(String refreshToken) {
        if (refreshToken == null || !SECRET.matcher(refreshToken).matches()) {
            return false;
        }
        Optional<RefreshTokenRecord> token = refreshTokens.find(TokenDigest.of(refreshToken));
        return token.isPresent() && refreshTokens.deleteFamily(token.get().familyId()) > 0;
    }

    /** Verifies a JWT access token; see {@link TokenRefusal} for what is refused. */
    public AccessTokenVerification verifyAccessToken(String accessToken) {
        return verifier.verify(accessToken);
    }

    /**
     * Resolves the token of an {@code Authorization: Bearer} header (see {@link #bearerToken}): an
     * API key when it starts with {@value #API_KEY_PREFIX}, otherwise a JWT access token.
     */
    public BearerResult resolveBearer(String token) {
        if (token == null) {
            return new BearerResult.Refused(TokenRefusal.MALFORMED);
        }
        if (token.startsWith(API_KEY_PREFIX)) {
            return resolveApiKey(token);
        }
        AccessTokenVerification v = verifier.verify(token);
        if (v instanceof AccessTokenVerification.Valid ok) {
            return new BearerResult.Authenticated(ok.userId(), BearerResult.Kind.ACCESS_TOKEN, Set.of());
        }
        return new BearerResult.Refused(((AccessTokenVerification.Invalid) v).reason());
    }

    /**
     * The token of an {@code Authorization} header value using the Bearer scheme (RFC 6750 §2.1;
     * the scheme name is case-insensitive); empty for other schemes, a missing header or an empty
     * token.
     */
    public static Optional<String> bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() < 8
                || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(7).strip();
        return token.isEmpty() || token.contains(" ") ? Optional.empty() : Optional.of(token);
    }

    /** The JWKS JSON (public keys only) for {@code /.well-known/jwks.json}. */
    public String jwksJson() {
        return keys.jwksJson();
    }

    /**
     * Housekeeping, for a scheduler of your choice: deletes expired refresh tokens (used ones are
     * kept until then, for reuse detection) and API keys, and drops expired cache entries.
     *
     * @return how many stored records were removed
     */
    public int purgeExpired() {
        Instant now = clock.instant();
        verifier.purgeCache(now);
        return refreshTokens.deleteExpired(now) + apiKeys.deleteExpired(now);
    }

    private BearerResult resolveApiKey(String token) {
        if (token.length() != API_KEY_PREFIX.length() + 43
                || !SECRET.matcher(token.substring(API_KEY_PREFIX.length())).matches()) {
            return new BearerResult.Refused(TokenRefusal.MALFORMED);
        }
        TokenDigest digest = TokenDigest.of(token);
        Optional<ApiKeyRecord> found = apiKeys.findByDigest(digest);
        if (found.isEmpty()) {
            return new BearerResult.Refused(TokenRefusal.UNKNOWN_TOKEN);
        }
        ApiKeyRecord key = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(key.expiresAt())) {
            return new BearerResult.Refused(TokenRefusal.EXPIRED);
        }
        if (key.lastUsedAt().isEmpty() || !now.isBefore(key.lastUsedAt().get().plus(API_KEY_TOUCH_INTERVAL))) {
            apiKeys.touch(digest, now);
        }
        return new BearerResult.Authenticated(key.userId(), BearerResult.Kind.API_KEY, key.scopes());
    }

    private RefreshResult reused(RefreshTokenRecord token) {
        int revoked = refreshTokens.deleteFamily(token.familyId());
        LOG.log(System.Logger.Level.WARNING, "refresh token reused for user {0}: family revoked ({1} tokens)",
                token.userId(), revoked);
        return new RefreshResult.Refused(TokenRefusal.REUSED);
    }

    private TokenPair newPair(UserId userId, String family, Instant authenticatedAt, Instant now) {
        return newPairIfFamilyAlive(userId, family, authenticatedAt, now)
                .orElseThrow(() -> new IllegalStateException("a new family always has time left"));
    }

    /** Stores a new refresh token in the family and mints an access token; empty once the family's absolute lifetime is over. */
    private Optional<TokenPair> newPairIfFamilyAlive(UserId userId, String family, Instant authenticatedAt, Instant now) {
        Instant familyEnd = authenticatedAt.plus(refreshTokenMaxLifetime);
        Instant expiresAt = now.plus(refreshTokenLifetime);
        if (expiresAt.isAfter(familyEnd)) {
            expiresAt = familyEnd;
        }
        if (!expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        String refresh = random.next(32);
        refreshTokens.insert(new RefreshTokenRecord(TokenDigest.of(refresh), userId, family, authenticatedAt, now,
                expiresAt, Optional.empty()));
        OptionalInt epoch = strict ? OptionalInt.of(epochs.orElseThrow().currentUncached(userId)) : OptionalInt.empty();
        return Optional.of(new TokenPair(issuer.issue(userId, now, epoch), refresh, issuer.lifetime()));
    }

}
