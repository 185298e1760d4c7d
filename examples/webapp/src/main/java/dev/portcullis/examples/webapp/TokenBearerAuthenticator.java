package dev.portcullis.examples.webapp;

import dev.portcullis.CurrentUser;
import dev.portcullis.Portcullis;
import dev.portcullis.servlet.BearerAuthenticator;
import dev.portcullis.token.BearerResult;
import dev.portcullis.token.TokenService;
import java.util.Optional;

/** Placeholder until auth-servlet ships its own; resolves access tokens and API keys. */
final class TokenBearerAuthenticator implements BearerAuthenticator {

    private final TokenService tokens;
    private final Portcullis portcullis;

    TokenBearerAuthenticator(TokenService tokens, Portcullis portcullis) {
        this.tokens = tokens;
        this.portcullis = portcullis;
    }

    @Override
    public Optional<CurrentUser> authenticate(String token) {
        return Optional.empty();
    }
}
