package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A server-side session as stored. The token itself is never stored, only its digest.
 *
 * @param id            SHA-256 of the session token
 * @param userId        whose session it is
 * @param createdAt     start; the absolute timeout counts from here
 * @param lastSeenAt    last use; the idle timeout counts from here
 * @param clientAddress address the session was created from, for the user's session list
 */
public record SessionRecord(TokenDigest id, UserId userId, Instant createdAt, Instant lastSeenAt, String clientAddress) {

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        clientAddress = clientAddress == null ? "" : clientAddress;
    }

    public SessionRecord withLastSeenAt(Instant value) {
        return new SessionRecord(id, userId, createdAt, value, clientAddress);
    }
}
