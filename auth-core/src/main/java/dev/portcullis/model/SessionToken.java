package dev.portcullis.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The secret a client presents to prove a session: 256 random bits, base64url without padding.
 * Only its {@link TokenDigest} is ever stored. {@link #toString()} is redacted.
 */
public record SessionToken(String value) {

    public SessionToken {
        Objects.requireNonNull(value, "value");
        if (!wellFormed(value)) {
            throw new IllegalArgumentException("not a session token");
        }
    }

    /** Parses untrusted input (a cookie value); empty when it is not shaped like a token. */
    public static Optional<SessionToken> parse(String value) {
        return value != null && wellFormed(value) ? Optional.of(new SessionToken(value)) : Optional.empty();
    }

    // [A-Za-z0-9_-]{43} without a regex: this runs on every request that carries a session cookie.
    private static boolean wellFormed(String s) {
        if (s.length() != 43) {
            return false;
        }
        for (int i = 0; i < 43; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The SHA-256 of the token: what stores keep and look up by. */
    public TokenDigest digest() {
        return TokenDigest.of(value);
    }

    @Override
    public String toString() {
        return "SessionToken[redacted]";
    }
}
