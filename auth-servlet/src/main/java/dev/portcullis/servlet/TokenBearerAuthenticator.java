package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.token.Tokens;

import dev.portcullis.token.BearerResult;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link BearerAuthenticator} for Portcullis' own tokens: JWT access tokens and API keys
 * ({@code pcl_…}), resolved by {@link Tokens#resolveBearer}, then the account is looked up
 * so that a disabled or deleted user's tokens stop working at once and roles are current.
 * Stateless: no cookie is read or written and no {@code HttpSession} is created for bearer
 * requests (see {@link AuthFilter}). Thread-safe and immutable.
 *
 * <pre>{@code
 * AuthConfig.builder()
 *         .protect("/api/*").apiPath("/api/*")
 *         .bearerAuthenticator(new TokenBearerAuthenticator(portcullis.tokens()))
 * }</pre>
 *
 * <p>An API key acts with its owner's roles. Its scopes are not roles: to accept on this
 * application only keys created for it, use {@link #requiringApiKeyScope}; finer checks belong in
 * the application, with {@link Tokens#resolveBearer}.
 */
public final class TokenBearerAuthenticator implements BearerAuthenticator {

    private final Tokens tokens;
    private final Optional<String> requiredApiKeyScope;

    /** @param tokens {@code portcullis.tokens()}; accounts (enabled ones only) resolve through its lookup cache */
    public TokenBearerAuthenticator(Tokens tokens) {
        this(tokens, Optional.empty());
    }

    private TokenBearerAuthenticator(Tokens tokens, Optional<String> requiredApiKeyScope) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.requiredApiKeyScope = requiredApiKeyScope;
    }

    /** A copy that refuses API keys lacking {@code scope} (access tokens are not scope-limited). */
    public TokenBearerAuthenticator requiringApiKeyScope(String scope) {
        if (Objects.requireNonNull(scope, "scope").isBlank()) {
            throw new IllegalArgumentException("scope must not be blank");
        }
        return new TokenBearerAuthenticator(tokens, Optional.of(scope));
    }

    @Override
    public Optional<CurrentUser> authenticate(String token) {
        if (!(tokens.resolveBearer(token) instanceof BearerResult.Authenticated caller)) {
            return Optional.empty();
        }
        if (requiredApiKeyScope.isPresent() && !caller.allows(requiredApiKeyScope.get())) {
            return Optional.empty();
        }
        return tokens.account(caller.userId());
    }
}
