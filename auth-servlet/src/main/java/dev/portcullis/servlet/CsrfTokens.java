package dev.portcullis.servlet;

import dev.portcullis.model.TokenDigest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens as an HMAC over a per-browser random value (kept in an HttpOnly cookie) and the
 * digest of the session, if any: {@code token = HMAC(key, cookie | session)}. No server state is
 * needed, so anonymous forms (login, register) are covered; binding to the session means a token
 * obtained before login, or by another user, is useless after login; a new cookie value on login
 * and logout rotates every token. Thread-safe.
 */
final class CsrfTokens {

    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final SecureRandom random;
    /** Keyed once and cloned per use: {@code Mac} is not thread-safe, and lookup plus init cost more than the MAC. */
    private final Mac keyed;

    CsrfTokens(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.random = random;
        this.keyed = newMac();
    }

    String newCookieValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    static boolean wellFormed(String cookieValue) {
        return cookieValue != null && COOKIE_VALUE.matcher(cookieValue).matches();
    }

    String tokenFor(String cookieValue, Optional<TokenDigest> session) {
        return B64.encodeToString(mac(cookieValue, session));
    }

    /** Constant-time comparison of the presented token with the expected one. */
    boolean verify(String presented, String cookieValue, Optional<TokenDigest> session) {
        if (presented == null || presented.length() > 128 || !wellFormed(cookieValue)) {
            return false;
        }
        byte[] expected = tokenFor(cookieValue, session).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String cookieValue, Optional<TokenDigest> session) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac(); // a provider whose Mac cannot be cloned
        }
        String message = "portcullis-csrf-v1\n" + cookieValue + "\n" + session.map(TokenDigest::hex).orElse("");
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
