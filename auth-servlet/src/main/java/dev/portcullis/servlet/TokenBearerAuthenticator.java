package dev.portcullis.servlet;

import dev.portcullis.CurrentUser;
import dev.portcullis.Portcullis;
import dev.portcullis.token.BearerResult;
import dev.portcullis.token.TokenService;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link BearerAuthenticator} for Portcullis' own tokens: JWT access tokens and API keys
 * ({@code pcl_…}), resolved by {@link TokenService#resolveBearer}, then the account is looked up
 * so that a disabled or deleted user's tokens stop working at once and roles are current.
 * Stateless: no cookie is read or written and no {@code HttpSession} is created for bearer
 * requests (see {@link AuthFilter}). Thread-safe and immutable.
 *
 * <pre>{@code
 * AuthConfig.builder()
 *         .protect("/api/*").apiPath("/api/*")
 *         .bearerAuthenticator(new TokenBearerAuthenticator(tokenService, portcullis))
 * }</pre>
 *
 * <p>An API key acts with its owner's roles. Its scopes are not roles: to accept on this
 * application only keys created for it, use {@link #requiringApiKeyScope}; finer checks belong in
 * the application, with {@link TokenService#resolveBearer}.
 */
public final class TokenBearerAuthenticator implements BearerAuthenticator {

    private final TokenService tokens;
    private final Portcullis portcullis;
    private final Optional<String> requiredApiKeyScope;

    /**
     * @param portcullis the instance behind {@code tokens}: it resolves the account (enabled ones
     *                   only) through its short per-node lookup cache
     */
    public TokenBearerAuthenticator(TokenService tokens, Portcullis portcullis) {
        this(tokens, portcullis, Optional.empty());
    }

    private TokenBearerAuthenticator(TokenService tokens, Portcullis portcullis, Optional<String> requiredApiKeyScope) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.portcullis = Objects.requireNonNull(portcullis, "portcullis");
        this.requiredApiKeyScope = requiredApiKeyScope;
    }

    /** A copy that refuses API keys lacking {@code scope} (access tokens are not scope-limited). */
    public TokenBearerAuthenticator requiringApiKeyScope(String scope) {
        if (Objects.requireNonNull(scope, "scope").isBlank()) {
            throw new IllegalArgumentException("scope must not be blank");
        }
        return new TokenBearerAuthenticator(tokens, portcullis, Optional.of(scope));
    }

    @Override
    public Optional<CurrentUser> authenticate(String token) {
        if (!(tokens.resolveBearer(token) instanceof BearerResult.Authenticated caller)) {
            return Optional.empty();
        }
        if (requiredApiKeyScope.isPresent() && !caller.allows(requiredApiKeyScope.get())) {
            return Optional.empty();
        }
        return portcullis.account(caller.userId());
    }
}
