package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that must end a credential, or change what an account may do, on every node at once:
 * what a {@link RevocationBus} carries. Each event names only an id (a session digest, a user id, a
 * refresh-token family), never a secret, and has a short text form ({@link #toWire()}, e.g.
 * {@code s:<digest>}) that fits any bus's message.
 */
public sealed interface RevocationEvent {

    /** The text form: a one-letter kind, a colon and the id. */
    String toWire();

    /** One session ended (logout): every node drops the session's cached resolution. */
    record SessionEnded(TokenDigest session) implements RevocationEvent {
        public SessionEnded {
            Objects.requireNonNull(session, "session");
        }

        @Override
        public String toWire() {
            return "s:" + session.hex();
        }
    }

    /** Every session of a user ended (log out everywhere or elsewhere, password change or reset, disable). */
    record UserSessionsEnded(UserId user) implements RevocationEvent {
        public UserSessionsEnded {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public String toWire() {
            return "u:" + user.value();
        }
    }

    /**
     * The account changed in a way its credentials depend on: password set or reset, address
     * changed or verified, disabled or enabled, roles, second factors. Every node drops the
     * account's cached lookups (sessions and bearer callers).
     */
    record AccountChanged(UserId user) implements RevocationEvent {
        public AccountChanged {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public String toWire() {
            return "a:" + user.value();
        }
    }

    /** A refresh-token family was revoked (client logout, reuse detected, withdrawn issue). */
    record RefreshFamilyRevoked(String family) implements RevocationEvent {
        public RefreshFamilyRevoked {
            Objects.requireNonNull(family, "family");
            if (family.isEmpty() || family.length() > 128) {
                throw new IllegalArgumentException("a refresh-token family id is 1 to 128 characters");
            }
        }

        @Override
        public String toWire() {
            return "f:" + family;
        }
    }

    /** The user's token epoch advanced (strict mode): access tokens issued before are refused everywhere. */
    record TokenEpochAdvanced(UserId user) implements RevocationEvent {
        public TokenEpochAdvanced {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public String toWire() {
            return "e:" + user.value();
        }
    }

    /**
     * Parses {@link #toWire()}'s form; empty for anything else (a message from a newer version, or
     * not from Portcullis at all), which a bus ignores.
     */
    static Optional<RevocationEvent> fromWire(String text) {
        if (text == null || text.length() < 3 || text.charAt(1) != ':') {
            return Optional.empty();
        }
        String id = text.substring(2);
        try {
            return Optional.ofNullable(switch (text.charAt(0)) {
                case 's' -> new SessionEnded(new TokenDigest(id));
                case 'u' -> new UserSessionsEnded(new UserId(id));
                case 'a' -> new AccountChanged(new UserId(id));
                case 'f' -> new RefreshFamilyRevoked(id);
                case 'e' -> new TokenEpochAdvanced(new UserId(id));
                default -> null;
            });
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
