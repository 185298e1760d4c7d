package dev.portcullis.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The secret a client presents to prove a session: 256 random bits, base64url without padding.
 * Only its {@link TokenDigest} is ever stored. {@link #toString()} is redacted.
 */
public record SessionToken(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

    public SessionToken {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a session token");
        }
    }

    /** Parses untrusted input (a cookie value); empty when it is not shaped like a token. */
    public static Optional<SessionToken> parse(String value) {
        return value != null && FORMAT.matcher(value).matches()
                ? Optional.of(new SessionToken(value)) : Optional.empty();
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
