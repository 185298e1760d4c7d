package dev.portcullis.token;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;

/** Outcome of {@link Tokens#verifyAccessToken}: bad tokens are results, never exceptions. */
public sealed interface AccessTokenVerification {

    /**
     * A token that this service issued (or that was signed with one of its keys), for this
     * audience, unexpired.
     *
     * @param userId    the {@code sub} claim
     * @param tokenId   the {@code jti} claim
     * @param issuedAt  the {@code iat} claim
     * @param expiresAt the {@code exp} claim
     */
    record Valid(UserId userId, String tokenId, Instant issuedAt, Instant expiresAt) implements AccessTokenVerification {
        public Valid {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(tokenId, "tokenId");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** Refused; {@code reason} is for logs, not for the client. */
    record Invalid(TokenRefusal reason) implements AccessTokenVerification {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
