package dev.portcullis.token;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets and identifiers, base64url without padding. */
final class RandomTokens {

    private final SecureRandom random;

    RandomTokens(SecureRandom random) {
        this.random = random;
    }

    /** {@code bytes} random bytes as base64url: 32 bytes (256 bits) make a 43-character secret. */
    String next(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
