package dev.portcullis.session;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.TokenDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * One of a user's live sessions, for a "where you are signed in" list.
 *
 * @param id            digest of the session token; compare with {@code CurrentUser.sessionId()} to mark "this session"
 * @param clientAddress the address it was started from, as the application passed it
 */
public record ActiveSession(TokenDigest id, Instant createdAt, Instant lastSeenAt, String clientAddress) {

    public ActiveSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
}
