package dev.portcullis.servlet;

import dev.portcullis.model.TokenDigest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

    private static final int COOKIE_LENGTH = 43;
    /** Recently proven cookie values: a direct-mapped table, one value per slot, the newest wins. */
    private static final int RECENT_SLOTS = 4096;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int RANDOM_BYTES = 16;
    private static final int TAG_BYTES = 16;
    private static final byte[] COOKIE_TAG_PREFIX = "portcullis-csrf-cookie-v1\n".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final SecureRandom random;
    /** Keyed once and cloned per use: {@code Mac} is not thread-safe, and lookup plus init cost more than the MAC. */
    private final Mac keyed;
    private final AtomicReferenceArray<String> recent = new AtomicReferenceArray<>(RECENT_SLOTS);

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

    /** 43 base64url characters ({@code [A-Za-z0-9_-]{43}}), checked without a regex: this runs on every request. */
    static boolean wellFormed(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != COOKIE_LENGTH) {
            return false;
        }
        for (int i = 0; i < COOKIE_LENGTH; i++) {
            if (sextet(cookieValue.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this filter's key issued the cookie value (its tag matches, compared in constant time).
     * Every browser request presents its CSRF cookie, so values already proven are remembered in a
     * small table of recent ones and recognised there by a constant-time comparison, without the
     * HMAC; only values whose tag matched ever enter it.
     */
    boolean issued(String cookieValue) {
        // The 43rd character carries the last 4 bits and 2 zero bits: any other value there is a
        // non-canonical spelling of the same bytes.
        if (!wellFormed(cookieValue) || (sextet(cookieValue.charAt(COOKIE_LENGTH - 1)) & 3) != 0) {
            return false;
        }
        int slot = cookieValue.hashCode() & (RECENT_SLOTS - 1);
        String known = recent.get(slot);
        if (known != null && constantTimeEquals(known, cookieValue)) {
            return true;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(cookieValue);
        byte[] tag = Arrays.copyOfRange(bytes, RANDOM_BYTES, RANDOM_BYTES + TAG_BYTES);
        boolean ours = MessageDigest.isEqual(Arrays.copyOf(cookieTag(bytes), TAG_BYTES), tag);
        if (ours) {
            recent.set(slot, cookieValue);
        }
        return ours;
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        } else if (c == '-') {
            return 62;
        } else if (c == '_') {
            return 63;
        }
        return -1;
    }

    /** Equal-length ASCII values; the time does not depend on where they differ. */
    private static boolean constantTimeEquals(String a, String b) {
        int diff = 0;
        for (int i = 0; i < COOKIE_LENGTH; i++) {
            diff |= a.charAt(i) ^ b.charAt(i);
        }
        return diff == 0;
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
