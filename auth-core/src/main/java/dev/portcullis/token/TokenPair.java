package dev.portcullis.token;

import java.time.Duration;
import java.util.Objects;

/**
 * What a client receives: a short-lived access token to send as {@code Authorization: Bearer},
 * and a refresh token to exchange, once, for the next pair. {@link #toString()} is redacted.
 *
 * @param accessToken  a signed JWT (RFC 9068 {@code at+jwt})
 * @param refreshToken opaque, 43 characters, single use
 * @param expiresIn    the access token's lifetime, for the OAuth-style {@code expires_in}
 */
public record TokenPair(String accessToken, String refreshToken, Duration expiresIn) {

    public TokenPair {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresIn, "expiresIn");
    }

    /** Always {@code "Bearer"} (RFC 6750), for the {@code token_type} field of a JSON answer. */
    public String tokenType() {
        return "Bearer";
    }

    @Override
    public String toString() {
        return "TokenPair[redacted, expiresIn=" + expiresIn + "]";
    }
}
