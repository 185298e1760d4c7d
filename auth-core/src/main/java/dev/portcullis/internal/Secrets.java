package dev.portcullis.internal;

import dev.portcullis.model.TokenDigest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one source of random secrets and the one constant-time comparison. Secrets are base64url
 * without padding: 32 bytes (256 bits) make a 43-character secret, which is what sessions,
 * remember-me validators, one-time links, refresh tokens and API keys use.
 */
public final class Secrets {

    private final SecureRandom random;

    public Secrets(SecureRandom random) {
        this.random = random;
    }

    /** A 256-bit secret. */
    public String next() {
        return next(32);
    }

    /** {@code bytes} random bytes as base64url. */
    public String next(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** {@code count} random bytes (second-factor secrets, recovery codes). */
    public byte[] bytes(int count) {
        byte[] b = new byte[count];
        random.nextBytes(b);
        return b;
    }

    /** Lower-case hex SHA-256 of UTF-8 text (fingerprints of account state). */
    public static String sha256Hex(String text) {
        return TokenDigest.of(text).hex();
    }

    /** Equality whose time does not depend on where the strings differ (digests, stamps, MACs). */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
