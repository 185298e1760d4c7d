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
 * @param passwordAt     when the holder last proved the password in this session (sign-in or
 *                       re-authentication); null when never (a remember-me resume) or unknown (a
 *                       session stored before this was recorded)
 * @param secondFactorAt when the holder last proved a second factor in this session; null when never
 */
public record SessionRecord(TokenDigest id, UserId userId, Instant createdAt, Instant lastSeenAt, String clientAddress,
                            Instant passwordAt, Instant secondFactorAt) {

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        clientAddress = clientAddress == null ? "" : clientAddress;
    }

    /** A session without recorded proofs (as stores written before second factors keep them). */
    public SessionRecord(TokenDigest id, UserId userId, Instant createdAt, Instant lastSeenAt, String clientAddress) {
        this(id, userId, createdAt, lastSeenAt, clientAddress, null, null);
    }

    public SessionRecord withLastSeenAt(Instant value) {
        return new SessionRecord(id, userId, createdAt, value, clientAddress, passwordAt, secondFactorAt);
    }

    /** With the proofs replaced (a null argument keeps the current value). */
    public SessionRecord withProofs(Instant password, Instant secondFactor) {
        return new SessionRecord(id, userId, createdAt, lastSeenAt, clientAddress,
                password == null ? passwordAt : password, secondFactor == null ? secondFactorAt : secondFactor);
    }

    public java.util.Optional<Instant> passwordProvenAt() {
        return java.util.Optional.ofNullable(passwordAt);
    }

    public java.util.Optional<Instant> secondFactorProvenAt() {
        return java.util.Optional.ofNullable(secondFactorAt);
    }
}
