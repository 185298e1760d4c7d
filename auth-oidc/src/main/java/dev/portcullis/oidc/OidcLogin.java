package dev.portcullis.oidc;

import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OpenID Connect relying party: the authorization code flow with PKCE ({@code S256}), a
 * {@code state} bound to the browser and a {@code nonce}, for every configured provider. It proves
 * identities and stops there: what an identity may do with an account is auth-core's
 * {@code Identities}. Immutable and thread-safe; share one instance.
 *
 * <p>Each provider's discovery document is read on first use and kept (a provider that is down is
 * asked again next time). Its signing keys (JWKS) are cached and fetched again when an ID token
 * names a key id the cache does not know, so the provider can rotate keys at any time.
 *
 * <p>An ID token is accepted only when its signature verifies with one of the provider's published
 * asymmetric keys ({@code alg=none} and HMAC never), {@code iss} is the provider's issuer,
 * {@code aud} contains the client id ({@code azp}, when present, must be the client, and must be
 * present when there are several audiences), {@code nonce} is the attempt's, and it has neither expired nor been issued in the
 * future, with {@link Builder#clockSkew} of tolerance. The time checks are made twice: by Nimbus
 * against the system clock, and here against the injected {@link Clock}; both must pass.
 */
public final class OidcLogin {

    private final Map<String, OidcProvider> providers;
    private final URI redirectBase;
    private final Clock clock;
    private final SecureRandom random;
    private final AttemptSeal seal;
    private final Duration attemptLifetime;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final List<OidcProvider> providerOrder;
    private final ProviderResolver resolver;

    private OidcLogin(Builder b) {
        this.providers = Map.copyOf(b.providers);
        this.redirectBase = b.redirectBase;
        this.clock = b.clock;
        this.random = b.random;
        this.seal = new AttemptSeal(b.stateKey, b.clock);
        this.attemptLifetime = b.attemptLifetime;
        this.connectTimeoutMillis = (int) b.connectTimeout.toMillis();
        this.readTimeoutMillis = (int) b.readTimeout.toMillis();
        this.providerOrder = List.copyOf(b.providers.values());
        this.resolver = new ProviderResolver(b.clock, b.clockSkew, connectTimeoutMillis, readTimeoutMillis,
                b.jwksRefreshMinInterval);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configured providers, in the order they were added (the order of the buttons). */
    public List<OidcProvider> providers() {
        return providerOrder;
    }

    public Optional<OidcProvider> provider(String id) {
        return Optional.ofNullable(providers.get(id));
    }

    /** Where the provider sends the browser back: the redirect URI to register at the provider. */
    public URI redirectUri(OidcProvider provider) {
        return redirectBase.resolve(provider.id() + "/callback");
    }

    /**
     * Begins an attempt: a fresh state, nonce and PKCE verifier, sealed into the attempt's cookie,
     * and the provider's authorization URL with the state, the nonce and the verifier's S256
     * challenge.
     *
     * @param next where to go afterwards (carried unchanged; check it again at the callback)
     */
    public StartResult start(String providerId, Purpose purpose, Optional<String> next) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(next, "next");
        OidcProvider provider = providers.get(Objects.requireNonNull(providerId, "providerId"));
        if (provider == null) {
            return new StartResult.UnknownProvider();
        }
        Optional<ProviderResolver.Resolved> r = resolver.resolve(provider);
        if (r.isEmpty()) {
            return new StartResult.ProviderUnavailable(provider.displayName());
        }
        State state = new State(secret());
        Nonce nonce = new Nonce(secret());
        CodeVerifier verifier = new CodeVerifier(secret() + secret());
        Instant expires = clock.instant().plus(attemptLifetime);
        URI authorization = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(provider.scopes().toArray(String[]::new)),
                new ClientID(provider.clientId()), redirectUri(provider))
                .endpointURI(r.get().metadata().getAuthorizationEndpointURI())
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
        String sealed = seal.seal(new AttemptSeal.Attempt(provider.id(), state.getValue(), nonce.getValue(),
                verifier.getValue(), next, purpose, expires));
        return new StartResult.Redirect(authorization, new AttemptCookie(cookieName(state.getValue()), sealed, attemptLifetime));
    }

    /** The name of the attempt cookie for a state value; the callback looks it up by the state it receives. */
    public static String cookieName(String state) {
        String safe = state.replaceAll("[^A-Za-z0-9_-]", "");
        return "portcullis_oidc_" + safe.substring(0, Math.min(16, safe.length()));
    }

    /**
     * Completes an attempt from the callback's query parameters and the browser's cookies: the
     * state must match an attempt cookie of this browser, for this provider, unexpired; then the
     * code is exchanged with the attempt's PKCE verifier and the ID token is checked.
     *
     * @param query   the callback's query parameters ({@code state}, {@code code} or {@code error})
     * @param cookies the browser's cookie of a given name
     */
    public CallbackResult callback(String providerId, Map<String, String> query, Function<String, Optional<String>> cookies) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(cookies, "cookies");
        OidcProvider provider = providers.get(Objects.requireNonNull(providerId, "providerId"));
        String state = query.get("state");
        if (state == null || state.isEmpty() || state.length() > 512) {
            return new CallbackResult.Failed(CallbackResult.Failure.STATE_MISSING, Optional.empty());
        }
        String name = cookieName(state);
        Optional<String> clear = cookies.apply(name).map(v -> name);
        if (provider == null) {
            return new CallbackResult.Failed(CallbackResult.Failure.UNKNOWN_PROVIDER, clear);
        }
        Optional<AttemptSeal.Attempt> attempt = cookies.apply(name).flatMap(v -> seal.open(v, provider.id(), state));
        if (attempt.isEmpty()) {
            return new CallbackResult.Failed(CallbackResult.Failure.STATE_MISMATCH, clear);
        }
        if (query.containsKey("error") || query.get("code") == null || query.get("code").isEmpty()) {
            return new CallbackResult.Failed(CallbackResult.Failure.PROVIDER_ERROR, clear);
        }
        Optional<ProviderResolver.Resolved> r = resolver.resolve(provider);
        if (r.isEmpty()) {
            return new CallbackResult.Failed(CallbackResult.Failure.PROVIDER_UNAVAILABLE, clear);
        }
        AttemptSeal.Attempt a = attempt.get();
        JWT idToken;
        try {
            TokenRequest request = new TokenRequest(r.get().metadata().getTokenEndpointURI(),
                    ProviderResolver.clientAuthentication(provider, r.get()),
                    new AuthorizationCodeGrant(new AuthorizationCode(query.get("code")), redirectUri(provider),
                            new CodeVerifier(a.verifier())));
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(connectTimeoutMillis);
            http.setReadTimeout(readTimeoutMillis);
            HTTPResponse response = http.send();
            TokenResponse parsed = OIDCTokenResponseParser.parse(response);
            if (!parsed.indicatesSuccess()) {
                ErrorObject error = parsed.toErrorResponse().getErrorObject();
                return new CallbackResult.Failed(error.getHTTPStatusCode() >= 500
                        ? CallbackResult.Failure.PROVIDER_UNAVAILABLE : CallbackResult.Failure.CODE_REFUSED, clear);
            }
            idToken = ((OIDCTokenResponse) parsed.toSuccessResponse()).getOIDCTokens().getIDToken();
        } catch (IOException e) {
            return new CallbackResult.Failed(CallbackResult.Failure.PROVIDER_UNAVAILABLE, clear);
        } catch (ParseException | ClassCastException e) {
            return new CallbackResult.Failed(CallbackResult.Failure.CODE_REFUSED, clear);
        }
        if (idToken == null) {
            return new CallbackResult.Failed(CallbackResult.Failure.ID_TOKEN_INVALID, clear);
        }
        Optional<IDTokenClaimsSet> claims = resolver.validate(r.get().validator(), idToken, new Nonce(a.nonce()));
        if (claims.isEmpty()) {
            return new CallbackResult.Failed(CallbackResult.Failure.ID_TOKEN_INVALID, clear);
        }
        return new CallbackResult.Verified(ProviderResolver.identity(provider, claims.get()), a.purpose(), a.next(), clear);
    }

    /** The providers' documents and the ID-token checks, as this login makes them (its clock and skew). */
    ProviderResolver resolver() {
        return resolver;
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Collects the settings of an {@link OidcLogin}; each setter checks its argument, {@link #build()} the rest. */
    public static final class Builder {
        private final Map<String, OidcProvider> providers = new LinkedHashMap<>();
        private URI redirectBase;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private byte[] stateKey;
        private Duration attemptLifetime = Duration.ofMinutes(10);
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration jwksRefreshMinInterval = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Adds a provider; at least one, ids unique. */
        public Builder provider(OidcProvider value) {
            Objects.requireNonNull(value, "provider");
            if (providers.putIfAbsent(value.id(), value) != null) {
                throw new IllegalArgumentException("two providers have the id " + value.id());
            }
            return this;
        }

        /**
         * Required: the absolute URL the endpoints are served under, ending in {@code /}, e.g.
         * {@code https://app.example.com/auth/oidc/}; each provider's redirect URI is
         * {@code <base><id>/callback}. From configuration, never from a request's Host header.
         */
        public Builder redirectBase(URI value) {
            Objects.requireNonNull(value, "redirectBase");
            if (!value.isAbsolute() || !value.getPath().endsWith("/") || value.getQuery() != null
                    || !("https".equals(value.getScheme()) || "http".equals(value.getScheme()))) {
                throw new IllegalArgumentException("redirectBase must be an absolute http(s) URL ending in /, was " + value);
            }
            this.redirectBase = value;
            return this;
        }

        /** The clock the attempt lifetime and the ID token's times are checked on; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder secureRandom(SecureRandom value) {
            this.random = Objects.requireNonNull(value, "secureRandom");
            return this;
        }

        /**
         * The AES key (exactly 32 bytes of secret randomness) that seals attempt cookies. Give every
         * node the same key, or an attempt started on one node cannot finish on another. Default:
         * random per instance (attempts in flight fail on restart: the user starts again). Copied.
         */
        public Builder stateKey(byte[] key) {
            Objects.requireNonNull(key, "stateKey");
            if (key.length != 32) {
                throw new IllegalArgumentException("stateKey must be 32 bytes, was " + key.length);
            }
            this.stateKey = key.clone();
            return this;
        }

        /** How long a user may take at the provider: 1..30 minutes, default 10. */
        public Builder attemptLifetime(Duration value) {
            if (Objects.requireNonNull(value, "attemptLifetime").compareTo(Duration.ofMinutes(1)) < 0
                    || value.compareTo(Duration.ofMinutes(30)) > 0) {
                throw new IllegalArgumentException("attemptLifetime must be 1..30 minutes, was " + value);
            }
            this.attemptLifetime = value;
            return this;
        }

        /** Tolerance on the ID token's {@code exp} and {@code iat}: 0..5 minutes, default 60 seconds. */
        public Builder clockSkew(Duration value) {
            if (Objects.requireNonNull(value, "clockSkew").isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clockSkew must be 0..5 minutes, was " + value);
            }
            this.clockSkew = value;
            return this;
        }

        /** Timeouts of every call to a provider (discovery, token, keys): 1..60 s each; default 5 s and 10 s. */
        public Builder httpTimeouts(Duration connect, Duration read) {
            for (Duration d : List.of(Objects.requireNonNull(connect, "connect"), Objects.requireNonNull(read, "read"))) {
                if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofSeconds(60)) > 0) {
                    throw new IllegalArgumentException("timeouts must be 1..60 s, was " + d);
                }
            }
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        /**
         * The least time between two fetches of a provider's keys when tokens name unknown key ids
         * (Nimbus's rate limit, so a flood of made-up ids cannot make us hammer the provider):
         * 0..5 minutes, default 30 s; zero turns the limit off.
         */
        public Builder jwksRefreshMinInterval(Duration value) {
            if (Objects.requireNonNull(value, "jwksRefreshMinInterval").isNegative()
                    || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("jwksRefreshMinInterval must be 0..5 minutes, was " + value);
            }
            this.jwksRefreshMinInterval = value;
            return this;
        }

        public OidcLogin build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("no provider: call OidcLogin.builder().provider(OidcProvider.google(..).build())");
            }
            if (redirectBase == null) {
                throw new IllegalStateException("redirectBase is required: call OidcLogin.builder().redirectBase(URI.create(\"https://app.example.com/auth/oidc/\"))");
            }
            if (stateKey == null) {
                stateKey = new byte[32];
                random.nextBytes(stateKey);
            }
            return new OidcLogin(this);
        }
    }
}
