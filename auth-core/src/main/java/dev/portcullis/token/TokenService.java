package dev.portcullis.token;

import dev.portcullis.AuthenticationResult;
import dev.portcullis.Credentials;
import dev.portcullis.FieldErrors;
import dev.portcullis.Portcullis;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Stateless token authentication for APIs: JWT access tokens, rotating refresh tokens, personal
 * access tokens (API keys) and the JWKS. Immutable and thread-safe; build one with
 * {@link #builder()} and share it.
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
 * every hit. See {@code docs/readme-tokens.md}.
 *
 * <h2>Refresh tokens</h2>
 * Opaque, 256 random bits, stored only as SHA-256, rotated on every use (OAuth 2.0 Security BCP,
 * RFC 9700 §4.14). Presenting a used token again revokes its whole family; two concurrent
 * refreshes of one token count as such a reuse (exactly one rotates, then the family dies), so a
 * client must serialise its refreshes.
 *
 * <h2>Revocation</h2>
 * {@link TokenStores#credentialRevoker()}, registered with {@code Portcullis}, deletes refresh
 * tokens and API keys on log-out-everywhere, password change or reset and disable. Access tokens
 * are self-contained and live until they expire, unless {@linkplain Builder#strictMode strict
 * mode} is on.
 *
 * <p>Bad tokens are results ({@link AccessTokenVerification.Invalid}, {@link BearerResult.Refused},
 * {@link RefreshResult.Refused}); only store faults throw, as
 * {@link dev.portcullis.spi.PortcullisException}s.
 */
public final class TokenService {

    private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

    /** Prefix of every API key, so a bearer token can be told apart from a JWT and found by secret scanners. */
    public static final String API_KEY_PREFIX = "pcl_";
    /** Use is recorded at most this often per key, so busy scripts do not turn every request into a write. */
    static final Duration API_KEY_TOUCH_INTERVAL = Duration.ofMinutes(1);
    static final int MAX_API_KEYS_PER_USER = 50;
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._/-]{1,64}");
    private static final int MAX_SCOPES = 32;
    private static final Duration MIN_API_KEY_LIFETIME = Duration.ofHours(1);

    private final Portcullis portcullis;
    private final RefreshTokenStore refreshTokens;
    private final ApiKeyStore apiKeys;
    private final Optional<EpochCache> epochs;
    private final AccessTokenKeys keys;
    private final AccessTokenIssuer issuer;
    private final AccessTokenVerifier verifier;
    private final Clock clock;
    private final RandomTokens random;
    private final Duration refreshTokenLifetime;
    private final Duration refreshTokenMaxLifetime;
    private final Duration apiKeyMaxLifetime;
    private final boolean strict;

    private TokenService(Builder b) {
        this.portcullis = b.portcullis;
        this.refreshTokens = b.stores.refreshTokens();
        this.apiKeys = b.stores.apiKeys();
        this.epochs = b.stores.epochs();
        this.keys = b.keys;
        this.clock = b.clock;
        this.random = new RandomTokens(b.random);
        this.refreshTokenLifetime = b.refreshTokenLifetime;
        this.refreshTokenMaxLifetime = b.refreshTokenMaxLifetime;
        this.apiKeyMaxLifetime = b.apiKeyMaxLifetime;
        this.strict = b.strictMode;
        this.issuer = new AccessTokenIssuer(keys, b.issuer, b.audience, b.accessTokenLifetime, random);
        Duration epochTtl = b.epochCacheTtl;
        Optional<ToIntFunction<UserId>> epochSource = strict
                ? epochs.map(cache -> user -> cache.current(user, clock, epochTtl))
                : Optional.empty();
        this.verifier = new AccessTokenVerifier(keys, b.issuer, b.audience, clock, b.clockSkew,
                b.verifiedTokenCacheSize, epochSource);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks credentials exactly as a form login does ({@link Portcullis#authenticate}: validation,
     * throttling, one password verify, no user enumeration) and on success issues an access token
     * and a refresh token of a new family. The password inside {@code credentials} is wiped.
     */
    public TokenIssueResult issue(Credentials credentials, String clientAddress) {
        AuthenticationResult result = portcullis.authenticate(credentials, clientAddress);
        if (result instanceof AuthenticationResult.Authenticated ok) {
            Instant now = clock.instant();
            String family = random.next(16);
            TokenPair pair = newPair(ok.userId(), family, now, now);
            // A password reset or change that ran while the password was being checked has already
            // revoked everything it could see; this family was stored after that, so withdraw it.
            if (!portcullis.credentialsUnchanged(ok.userId(), ok.credentialStamp())) {
                refreshTokens.deleteFamily(family);
                return new TokenIssueResult.InvalidCredentials();
            }
            return new TokenIssueResult.Issued(ok.userId(), pair);
        } else if (result instanceof AuthenticationResult.Invalid r) {
            return new TokenIssueResult.Invalid(r.errors());
        } else if (result instanceof AuthenticationResult.InvalidCredentials) {
            return new TokenIssueResult.InvalidCredentials();
        } else if (result instanceof AuthenticationResult.Throttled r) {
            return new TokenIssueResult.Throttled(r.retryAfter());
        } else if (result instanceof AuthenticationResult.EmailNotVerified r) {
            return new TokenIssueResult.EmailNotVerified(r.userId());
        } else if (result instanceof AuthenticationResult.Busy r) {
            return new TokenIssueResult.Busy(r.retryAfter());
        }
        throw new IllegalStateException("unhandled " + result);
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
     * Creates a personal access token for {@code userId}. The secret is in the result and nowhere
     * else: only its SHA-256 is stored.
     *
     * @param name     the owner's label, 1 to 100 characters (trimmed)
     * @param scopes   up to 32 scope names from {@code [A-Za-z0-9:._/-]}, each up to 64 characters
     * @param lifetime at least an hour, at most the configured maximum (default 366 days)
     */
    public ApiKeyResult createApiKey(UserId userId, String name, Set<String> scopes, Duration lifetime) {
        Objects.requireNonNull(userId, "userId");
        FieldErrors.Collector errors = new FieldErrors.Collector();
        String label = name == null ? "" : name.strip();
        if (label.isEmpty()) {
            errors.add("name", "Give the token a name.");
        } else if (label.codePointCount(0, label.length()) > 100 || label.chars().anyMatch(Character::isISOControl)) {
            errors.add("name", "Use at most 100 characters, without control characters.");
        }
        Set<String> scopeSet = scopes == null ? Set.of() : new LinkedHashSet<>(scopes);
        if (scopeSet.size() > MAX_SCOPES) {
            errors.add("scopes", "Use at most " + MAX_SCOPES + " scopes.");
        } else if (!scopeSet.stream().allMatch(s -> s != null && SCOPE.matcher(s).matches())) {
            errors.add("scopes", "Scopes are 1 to 64 letters, digits or : . _ / -");
        }
        if (lifetime == null || lifetime.compareTo(MIN_API_KEY_LIFETIME) < 0 || lifetime.compareTo(apiKeyMaxLifetime) > 0) {
            errors.add("lifetime", "Choose an expiry between one hour and " + apiKeyMaxLifetime.toDays() + " days.");
        }
        Instant now = clock.instant();
        if (errors.isEmpty() && apiKeys.findAllForUser(userId).stream()
                .filter(k -> now.isBefore(k.expiresAt())).count() >= MAX_API_KEYS_PER_USER) {
            errors.add("name", "You have " + MAX_API_KEYS_PER_USER + " tokens already; revoke one first.");
        }
        if (!errors.isEmpty()) {
            return new ApiKeyResult.Invalid(errors.toErrors());
        }
        String secret = API_KEY_PREFIX + random.next(32);
        ApiKeyRecord record = new ApiKeyRecord(TokenDigest.of(secret), random.next(12), userId, label, scopeSet,
                now, now.plus(lifetime), Optional.empty());
        apiKeys.insert(record);
        return new ApiKeyResult.Created(view(record), secret);
    }

    /** The user's unexpired API keys, newest first, without secrets. */
    public List<ApiKey> apiKeys(UserId userId) {
        Instant now = clock.instant();
        return apiKeys.findAllForUser(Objects.requireNonNull(userId, "userId")).stream()
                .filter(k -> now.isBefore(k.expiresAt()))
                .map(TokenService::view)
                .toList();
    }

    /** Revokes one of the user's API keys by its public id. @return whether it existed and was the user's */
    public boolean revokeApiKey(UserId userId, String apiKeyId) {
        Objects.requireNonNull(userId, "userId");
        return apiKeyId != null && apiKeys.delete(userId, apiKeyId);
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

    private static ApiKey view(ApiKeyRecord r) {
        return new ApiKey(r.id(), r.name(), r.scopes(), r.createdAt(), r.expiresAt(), r.lastUsedAt());
    }

    /**
     * Collects the configuration of a {@link TokenService}. Mutable, single use; each setter checks
     * its argument, {@link #build()} names anything missing.
     */
    public static final class Builder {
        private Portcullis portcullis;
        private TokenStores stores;
        private AccessTokenKeys keys;
        private String issuer;
        private String audience;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random;
        private Duration accessTokenLifetime = Duration.ofMinutes(10);
        private Duration refreshTokenLifetime = Duration.ofDays(14);
        private Duration refreshTokenMaxLifetime = Duration.ofDays(90);
        private Duration clockSkew = Duration.ofSeconds(30);
        private Duration apiKeyMaxLifetime = Duration.ofDays(366);
        private int verifiedTokenCacheSize = 10_000;
        private boolean strictMode;
        private Duration epochCacheTtl = Duration.ofSeconds(5);

        private Builder() {
        }

        /** Checks credentials for {@link TokenService#issue}; build it with {@link TokenStores#credentialRevoker()} registered. */
        public Builder portcullis(Portcullis value) {
            this.portcullis = Objects.requireNonNull(value, "portcullis");
            return this;
        }

        public Builder stores(TokenStores value) {
            this.stores = Objects.requireNonNull(value, "stores");
            return this;
        }

        /** Typically {@code AccessTokenKeys.of(SigningKey.generate(TokenAlgorithm.RS256))}, or keys loaded from a vault. */
        public Builder keys(AccessTokenKeys value) {
            this.keys = Objects.requireNonNull(value, "keys");
            return this;
        }

        /** The {@code iss} claim: this service's URL, e.g. {@code https://auth.example.com}. */
        public Builder issuer(String value) {
            this.issuer = requireText(value, "issuer");
            return this;
        }

        /** The {@code aud} claim issued and required: the API's identifier, e.g. {@code https://api.example.com}. */
        public Builder audience(String value) {
            this.audience = requireText(value, "audience");
            return this;
        }

        /** Default {@link Clock#systemUTC()}; tests pass a clock they can move. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Source of refresh tokens, API keys and token ids; default a new {@link SecureRandom}. */
        public Builder secureRandom(SecureRandom value) {
            this.random = Objects.requireNonNull(value, "secureRandom");
            return this;
        }

        /** 1 minute to 1 hour; default 10 minutes. */
        public Builder accessTokenLifetime(Duration value) {
            this.accessTokenLifetime = inRange(value, Duration.ofMinutes(1), Duration.ofHours(1), "accessTokenLifetime");
            return this;
        }

        /** How long an unused refresh token stays valid; each rotation starts it again. 1 hour to 90 days; default 14 days. */
        public Builder refreshTokenLifetime(Duration value) {
            this.refreshTokenLifetime = inRange(value, Duration.ofHours(1), Duration.ofDays(90), "refreshTokenLifetime");
            return this;
        }

        /** How long a family lives from sign-in, however often it rotates. 1 hour to 366 days; default 90 days. */
        public Builder refreshTokenMaxLifetime(Duration value) {
            this.refreshTokenMaxLifetime = inRange(value, Duration.ofHours(1), Duration.ofDays(366), "refreshTokenMaxLifetime");
            return this;
        }

        /** Tolerance for clocks of issuer and verifier disagreeing, on {@code exp}, {@code iat}, {@code nbf}. 0 to 5 minutes; default 30 s. */
        public Builder clockSkew(Duration value) {
            this.clockSkew = inRange(value, Duration.ZERO, Duration.ofMinutes(5), "clockSkew");
            return this;
        }

        /** Longest lifetime a user may give an API key. 1 hour to 5 years; default 366 days. */
        public Builder apiKeyMaxLifetime(Duration value) {
            this.apiKeyMaxLifetime = inRange(value, Duration.ofHours(1), Duration.ofDays(5 * 366), "apiKeyMaxLifetime");
            return this;
        }

        /** How many verified access tokens to remember; 0 turns the cache off. Default 10 000. */
        public Builder verifiedTokenCacheSize(int value) {
            if (value < 0 || value > 10_000_000) {
                throw new IllegalArgumentException("verifiedTokenCacheSize must be 0..10000000, was " + value);
            }
            this.verifiedTokenCacheSize = value;
            return this;
        }

        /**
         * Strict mode: access tokens carry the user's token epoch, and are refused once the
         * {@linkplain TokenStores#credentialRevoker() revoker} has advanced it (log out everywhere,
         * password change, disable), instead of living until {@code exp}. Costs an epoch lookup
         * per verify, cached for {@code epochCacheTtl} (0 to 1 minute; the delay before another
         * node sees a revocation). Needs {@link TokenStores} with an epoch store. Default off.
         */
        public Builder strictMode(boolean enabled, Duration epochCacheTtl) {
            this.epochCacheTtl = inRange(epochCacheTtl, Duration.ZERO, Duration.ofMinutes(1), "epochCacheTtl");
            this.strictMode = enabled;
            return this;
        }

        public TokenService build() {
            require(portcullis, "portcullis");
            require(stores, "stores");
            require(keys, "keys");
            require(issuer, "issuer");
            require(audience, "audience");
            if (strictMode && stores.epochs().isEmpty()) {
                throw new IllegalStateException("strict mode needs an epoch store: use TokenStores.of(refreshTokens, "
                        + "apiKeys, epochs) or TokenStores.inMemory()");
            }
            if (refreshTokenMaxLifetime.compareTo(refreshTokenLifetime) < 0) {
                throw new IllegalStateException("refreshTokenMaxLifetime (" + refreshTokenMaxLifetime
                        + ") must not be shorter than refreshTokenLifetime (" + refreshTokenLifetime + ")");
            }
            if (random == null) {
                random = new SecureRandom();
            }
            return new TokenService(this);
        }

        private static Duration inRange(Duration value, Duration min, Duration max, String name) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
            }
            return value;
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required: call TokenService.builder()." + name + "(...)");
            }
        }
    }
}
