package dev.portcullis.token;

import dev.portcullis.model.UserId;
import java.util.Objects;
import java.util.Set;

/** Outcome of {@link Tokens#resolveBearer}: who is calling, with what, or why not. */
public sealed interface BearerResult {

    /** The kinds of bearer credential. */
    enum Kind {
        /** A JWT access token, issued from the user's credentials: acts with the user's full rights. */
        ACCESS_TOKEN,
        /** A personal access token: limited to its scopes. */
        API_KEY
    }

    /**
     * @param userId who is calling
     * @param kind   what they presented
     * @param scopes the API key's scopes; empty for access tokens, which are not scope-limited
     */
    record Authenticated(UserId userId, Kind kind, Set<String> scopes) implements BearerResult {
        public Authenticated {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(kind, "kind");
            scopes = Set.copyOf(scopes);
        }

        /** Whether the caller may act within {@code scope}: always for access tokens, by its scopes for API keys. */
        public boolean allows(String scope) {
            return kind == Kind.ACCESS_TOKEN || scopes.contains(scope);
        }
    }

    /** Not authenticated (HTTP 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}). */
    record Refused(TokenRefusal reason) implements BearerResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
