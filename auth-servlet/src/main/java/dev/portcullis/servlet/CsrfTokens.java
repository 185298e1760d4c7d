package dev.portcullis.servlet;

import dev.portcullis.model.TokenDigest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens as an HMAC over a per-browser value (kept in an HttpOnly cookie) and the digest of
 * the session, if any: {@code token = HMAC(key, cookie | session)}. No server state is needed, so
 * anonymous forms (login, register) are covered; binding to the session means a token obtained
 * before login, or by another user, is useless after login; a new cookie value on login and
 * logout rotates every token.
 *
 * <p>The cookie value is server-issued and recognisable: 16 random bytes followed by the first 16
 * bytes of {@code HMAC(key, "cookie" | random)}, 43 base64url characters. A value the client chose
 * (or one issued under another key) is not {@link #issued}: the filter replaces it and refuses the
 * request as if it had no cookie, so an attacker cannot plant a value whose tokens it computed
 * elsewhere. Thread-safe.
 */
final class CsrfTokens {

    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int RANDOM_BYTES = 16;
    private static final int TAG_BYTES = 16;
    private static final byte[] COOKIE_TAG_PREFIX = "portcullis-csrf-cookie-v1\n".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final SecureRandom random;
    /** Keyed once and cloned per use: {@code Mac} is not thread-safe, and lookup plus init cost more than the MAC. */
    private final Mac keyed;

    CsrfTokens(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.random = random;
        this.keyed = newMac();
    }

    /** A fresh server-issued cookie value: random, then its tag. */
    String newCookieValue() {
        byte[] bytes = new byte[RANDOM_BYTES + TAG_BYTES];
        random.nextBytes(bytes);
        System.arraycopy(cookieTag(bytes), 0, bytes, RANDOM_BYTES, TAG_BYTES);
        return B64.encodeToString(bytes);
    }

    static boolean wellFormed(String cookieValue) {
        return cookieValue != null && COOKIE_VALUE.matcher(cookieValue).matches();
    }

    /** Whether this filter's key issued the cookie value (its tag matches, compared in constant time). */
    boolean issued(String cookieValue) {
        if (!wellFormed(cookieValue)) {
            return false;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(cookieValue);
        if (!B64.encodeToString(bytes).equals(cookieValue)) {
            return false; // a non-canonical spelling (stray low bits in the last character)
        }
        byte[] tag = Arrays.copyOfRange(bytes, RANDOM_BYTES, RANDOM_BYTES + TAG_BYTES);
        return MessageDigest.isEqual(Arrays.copyOf(cookieTag(bytes), TAG_BYTES), tag);
    }

    String tokenFor(String cookieValue, Optional<TokenDigest> session) {
        return B64.encodeToString(mac(cookieValue, session));
    }

    /** Constant-time comparison of the presented token with the expected one; the cookie must be {@link #issued}. */
    boolean verify(String presented, String cookieValue, Optional<TokenDigest> session) {
        if (presented == null || presented.length() > 128 || !issued(cookieValue)) {
            return false;
        }
        byte[] expected = tokenFor(cookieValue, session).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String cookieValue, Optional<TokenDigest> session) {
        String message = "portcullis-csrf-v1\n" + cookieValue + "\n" + session.map(TokenDigest::hex).orElse("");
        return mac().doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }

    /** The tag over the random part of {@code value}; its own message prefix, so it is never a token. */
    private byte[] cookieTag(byte[] value) {
        Mac mac = mac();
        mac.update(COOKIE_TAG_PREFIX);
        mac.update(value, 0, RANDOM_BYTES);
        return mac.doFinal();
    }

    private Mac mac() {
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            return newMac(); // a provider whose Mac cannot be cloned
        }
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
