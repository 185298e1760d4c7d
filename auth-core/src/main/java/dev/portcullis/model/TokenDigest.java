package dev.portcullis.model;

import dev.portcullis.Stores;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    /** Digest of a token's text (UTF-8). */
    public static TokenDigest of(String token) {
        return new TokenDigest(lowerHex(sha256(token)));
    }

    /**
     * The raw 32 bytes of SHA-256 over UTF-8 text: what {@link #of} hex-encodes, and the project's
     * one SHA-256 routine. For in-memory keys that need no text form (the access-token cache).
     */
    public static byte[] sha256(String text) {
        return freshSha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A new SHA-256 instance, cloned from one that is never updated: {@code getInstance} walks the
     * security providers on every call, which was half of the cost of hashing a session cookie on
     * every authenticated request. The prototype is only ever cloned, so sharing it is safe.
     */
    private static MessageDigest freshSha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256"); // a provider whose digest cannot be cloned
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("every JDK has SHA-256", impossible);
            }
        }
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    // HexFormat builds through a StringBuilder (two copies); this runs on every authenticated request.
    private static String lowerHex(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return new String(out, StandardCharsets.US_ASCII);
    }
    private static final MessageDigest SHA256_PROTOTYPE = sha256();

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "TokenDigest[" + hex.substring(0, 8) + "…]";
    }
}
