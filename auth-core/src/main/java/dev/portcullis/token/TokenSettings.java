package dev.portcullis.token;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of stateless tokens (JWT access tokens, rotating refresh tokens, API keys), given
 * to {@code Portcullis.builder().tokens(...)}: signing keys, {@code iss} and {@code aud}, lifetimes,
 * strict mode. The stores come from {@code Stores} (refresh tokens, API keys, and token epochs for
 * strict mode). Immutable; build one with {@link #builder()}, whose setters document each setting,
 * its range and its default.
 */
public final class TokenSettings {

    private final AccessTokenKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration accessTokenLifetime;
    private final Duration refreshTokenLifetime;
    private final Duration refreshTokenMaxLifetime;
    private final Duration clockSkew;
    private final Duration apiKeyMaxLifetime;
    private final int verifiedTokenCacheSize;
    private final boolean strictMode;
    private final Duration epochCacheTtl;

    private TokenSettings(Builder b) {
        this.keys = b.keys;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.accessTokenLifetime = b.accessTokenLifetime;
        this.refreshTokenLifetime = b.refreshTokenLifetime;
        this.refreshTokenMaxLifetime = b.refreshTokenMaxLifetime;
        this.clockSkew = b.clockSkew;
        this.apiKeyMaxLifetime = b.apiKeyMaxLifetime;
        this.verifiedTokenCacheSize = b.verifiedTokenCacheSize;
        this.strictMode = b.strictMode;
        this.epochCacheTtl = b.epochCacheTtl;
    }

    public static Builder builder() {
        return new Builder();
    }

    public AccessTokenKeys keys() {
        return keys;
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    public Duration refreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    public Duration refreshTokenMaxLifetime() {
        return refreshTokenMaxLifetime;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public Duration apiKeyMaxLifetime() {
        return apiKeyMaxLifetime;
    }

    public int verifiedTokenCacheSize() {
        return verifiedTokenCacheSize;
    }

    public boolean strictMode() {
        return strictMode;
    }

    public Duration epochCacheTtl() {
        return epochCacheTtl;
    }

    /**
     * Collects token settings. Mutable, single use; each setter checks its argument,
     * {@link #build()} names anything missing.
     */
    public static final class Builder {
        private AccessTokenKeys keys;
        private String issuer;
        private String audience;
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
         * revocation has advanced it (log out everywhere,
         * password change, disable), instead of living until {@code exp}. Costs an epoch lookup
         * per verify, cached for {@code epochCacheTtl} (0 to 1 minute; the delay before another
         * node sees a revocation). Needs a {@code TokenEpochStore} among the stores. Default off.
         */
        public Builder strictMode(boolean enabled, Duration epochCacheTtl) {
            this.epochCacheTtl = inRange(epochCacheTtl, Duration.ZERO, Duration.ofMinutes(1), "epochCacheTtl");
            this.strictMode = enabled;
            return this;
        }

        public TokenSettings build() {
            require(keys, "keys");
            require(issuer, "issuer");
            require(audience, "audience");
            if (refreshTokenMaxLifetime.compareTo(refreshTokenLifetime) < 0) {
                throw new IllegalStateException("refreshTokenMaxLifetime (" + refreshTokenMaxLifetime
                        + ") must not be shorter than refreshTokenLifetime (" + refreshTokenLifetime + ")");
            }
            return new TokenSettings(this);
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
                throw new IllegalStateException(name + " is required: call TokenSettings.builder()." + name + "(...)");
            }
        }
    }
}
