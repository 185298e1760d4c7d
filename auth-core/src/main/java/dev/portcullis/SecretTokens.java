package dev.portcullis;

import java.security.SecureRandom;
import java.util.Base64;

/** 256-bit random secrets, base64url without padding (43 characters). */
final class SecretTokens {

    private final SecureRandom random;

    SecretTokens(SecureRandom random) {
        this.random = random;
    }

    String next() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
