package dev.portcullis.examples.webapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys every node must agree on, derived from the one secret they already share: the
 * access-token signing key (its private JWK, from {@code PORTCULLIS_JWT_KEY} or the key file). Each
 * key is HMAC-SHA256(SHA-256(private JWK text), label) with its own label (HKDF-Expand's one-block
 * form, RFC 5869 §2.3), so the keys are independent of each other and reveal nothing of the
 * signing key, and an operator distributes one secret instead of three. Rotating the signing key
 * rotates these too (open forms must be reloaded once, device cookies are distrusted until the next
 * sign-in); the variables {@code PORTCULLIS_CSRF_SECRET} and {@code PORTCULLIS_DEVICE_KEY} set
 * them independently instead.
 */
final class DerivedKeys {

    static final String CSRF = "portcullis-demo csrf-secret v1";
    static final String DEVICE = "portcullis-demo device-cookie-key v1";
    /** Unlike the others, rotating this one is not harmless: it voids every authenticator enrolment. */
    static final String SECOND_FACTOR = "portcullis-demo second-factor-key v1";
    /** Seals the OpenID Connect sign-in attempt cookie, unless PORTCULLIS_OIDC_STATE_KEY sets it. */
    static final String OIDC_STATE = "portcullis-demo oidc-state-key v1";

    private DerivedKeys() {
    }

    static byte[] derive(String privateJwk, String label) {
        try {
            byte[] master = MessageDigest.getInstance("SHA-256").digest(privateJwk.strip().getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal((label + "\u0001").getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256 and HmacSHA256", e);
        }
    }
}
