package dev.portcullis.model;

import dev.portcullis.Stores;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 of a secret token, as 64 lower-case hex digits. Stores keep digests, never tokens, so a
 * leaked table does not hand out live sessions. A plain hash suffices because the tokens carry
 * 256 bits of entropy: there is nothing to brute-force.
 */
public record TokenDigest(String hex) {

    public TokenDigest {
        Objects.requireNonNull(hex, "hex");
        if (!isLowerHex64(hex)) {
            throw new IllegalArgumentException("a token digest is 64 lower-case hex digits");
        }
    }

    // [0-9a-f]{64} without a regex: this runs on every authenticated request.
    private static boolean isLowerHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Digest of a token's text (UTF-8); the project's one SHA-256 routine. */
    public static TokenDigest of(String token) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return new TokenDigest(HexFormat.of().formatHex(sha));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "TokenDigest[" + hex.substring(0, 8) + "…]";
    }
}
