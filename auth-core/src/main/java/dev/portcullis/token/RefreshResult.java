package dev.portcullis.token;

import dev.portcullis.model.UserId;
import java.util.Objects;

/** Outcome of {@link Tokens#refresh}. Suggested HTTP mapping: Refreshed 200, Refused 400 {@code invalid_grant}. */
public sealed interface RefreshResult {

    /** The presented token is now used; {@code tokens} holds its successor in the same family. */
    record Refreshed(UserId userId, TokenPair tokens) implements RefreshResult {
    }

    /**
     * No new pair. {@link TokenRefusal#REUSED} means the family has just been revoked: someone
     * presented an already-used token, so either the client or a thief holds a stale copy.
     */
    record Refused(TokenRefusal reason) implements RefreshResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
