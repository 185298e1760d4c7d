package dev.portcullis;

import dev.portcullis.memory.InMemoryStores;

import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.IdentityStore;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.TokenEpochStore;
import dev.portcullis.spi.UserStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Every store a {@link Portcullis} uses, as one value: {@code InMemoryStores.create()} and
 * {@code JdbcStores.create(dataSource)} return a full set; {@link #of} and the {@code with*}
 * methods assemble or replace single ports (a Redis session store beside JDBC users, say). The
 * optional stores switch features on: remember-me, mailed links (verification, reset, email
 * change), refresh tokens and API keys (with {@code Portcullis.builder().tokens(..)}), and token
 * epochs for strict mode, second factors (with {@code Portcullis.builder().secondFactorKey(..)}),
 * external identities ({@code Portcullis.identities()}, for auth-oidc).
 * The full sets leave the second-factor stores out, so that an application switches two-factor
 * sign-in on deliberately: {@link #withSecondFactors}. Immutable.
 */
public record Stores(UserStore users, SessionStore sessions, AttemptStore attempts,
                     Optional<RememberMeStore> rememberMe, Optional<OneTimeTokenStore> oneTimeTokens,
                     Optional<RefreshTokenStore> refreshTokens, Optional<ApiKeyStore> apiKeys,
                     Optional<TokenEpochStore> tokenEpochs, Optional<SecondFactorStore> secondFactors,
                     Optional<PendingSignInStore> pendingSignIns, Optional<IdentityStore> identities) {

    public Stores {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(attempts, "attempts");
        Objects.requireNonNull(rememberMe, "rememberMe");
        Objects.requireNonNull(oneTimeTokens, "oneTimeTokens");
        Objects.requireNonNull(refreshTokens, "refreshTokens");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(tokenEpochs, "tokenEpochs");
        Objects.requireNonNull(secondFactors, "secondFactors");
        Objects.requireNonNull(pendingSignIns, "pendingSignIns");
        Objects.requireNonNull(identities, "identities");
        if (secondFactors.isPresent() != pendingSignIns.isPresent()) {
            throw new IllegalArgumentException("second factors need both a SecondFactorStore and a PendingSignInStore");
        }
    }

    /** Without second-factor stores (as before they existed). */
    public Stores(UserStore users, SessionStore sessions, AttemptStore attempts,
                  Optional<RememberMeStore> rememberMe, Optional<OneTimeTokenStore> oneTimeTokens,
                  Optional<RefreshTokenStore> refreshTokens, Optional<ApiKeyStore> apiKeys,
                  Optional<TokenEpochStore> tokenEpochs) {
        this(users, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys, tokenEpochs,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Without an identity store (as before it existed). */
    public Stores(UserStore users, SessionStore sessions, AttemptStore attempts,
                  Optional<RememberMeStore> rememberMe, Optional<OneTimeTokenStore> oneTimeTokens,
                  Optional<RefreshTokenStore> refreshTokens, Optional<ApiKeyStore> apiKeys,
                  Optional<TokenEpochStore> tokenEpochs, Optional<SecondFactorStore> secondFactors,
                  Optional<PendingSignInStore> pendingSignIns) {
        this(users, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys, tokenEpochs,
                secondFactors, pendingSignIns, Optional.empty());
    }

    /** The three stores every setup needs; add others with the {@code with*} methods. */
    public static Stores of(UserStore users, SessionStore sessions, AttemptStore attempts) {
        return new Stores(users, sessions, attempts, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    public Stores withUsers(UserStore value) {
        return new Stores(value, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withSessions(SessionStore value) {
        return new Stores(users, value, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withAttempts(AttemptStore value) {
        return new Stores(users, sessions, value, rememberMe, oneTimeTokens, refreshTokens, apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withRememberMe(RememberMeStore value) {
        return new Stores(users, sessions, attempts, Optional.of(value), oneTimeTokens, refreshTokens, apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withOneTimeTokens(OneTimeTokenStore value) {
        return new Stores(users, sessions, attempts, rememberMe, Optional.of(value), refreshTokens, apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withRefreshTokens(RefreshTokenStore value) {
        return new Stores(users, sessions, attempts, rememberMe, oneTimeTokens, Optional.of(value), apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withApiKeys(ApiKeyStore value) {
        return new Stores(users, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, Optional.of(value),
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }

    public Stores withTokenEpochs(TokenEpochStore value) {
        return new Stores(users, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys,
                Optional.of(value), secondFactors, pendingSignIns, identities);
    }

    /**
     * With the stores of two-factor sign-in: authenticator-app enrolments and recovery codes, and
     * the pending sign-ins between the password and the code. Also needs
     * {@code Portcullis.builder().secondFactorKey(..)}.
     */
    public Stores withSecondFactors(SecondFactorStore factors, PendingSignInStore pending) {
        return new Stores(users, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys, tokenEpochs,
                Optional.of(factors), Optional.of(pending), identities);
    }

    /**
     * With the store of the links between external identities (OpenID Connect issuer and subject)
     * and accounts; it switches {@code Portcullis.identities()} on. The full sets include one.
     */
    public Stores withIdentities(IdentityStore value) {
        return new Stores(users, sessions, attempts, rememberMe, oneTimeTokens, refreshTokens, apiKeys, tokenEpochs,
                secondFactors, pendingSignIns, Optional.of(value));
    }

    /** Without remember-me (the feature is then off). */
    public Stores withoutRememberMe() {
        return new Stores(users, sessions, attempts, Optional.empty(), oneTimeTokens, refreshTokens, apiKeys,
                tokenEpochs, secondFactors, pendingSignIns, identities);
    }
}
