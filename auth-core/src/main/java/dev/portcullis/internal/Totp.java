package dev.portcullis.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 4226 HOTP and RFC 6238 TOTP with the JDK's {@link Mac}: HMAC-SHA1, 6 digits, 30-second steps
 * counted from the Unix epoch, one step of clock drift accepted either way (RFC 6238 §5.2). Which
 * steps may still be used is the caller's business (the store's last used step).
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long PERIOD_SECONDS = 30;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** The time step of {@code at} (RFC 6238 T, with T0 = 0 and X = 30 s). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
    }

    /** The HOTP value of {@code counter} (RFC 4226 §5.3) with {@code digits} digits, zero-padded. */
    public static String hotp(byte[] key, long counter, int digits, String macAlgorithm) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("digits must be 6 to 8");
        }
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, "RAW"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
                    | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            String code = Integer.toString(binary % POWERS[digits]);
            return "0".repeat(digits - code.length()) + code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + macAlgorithm, e);
        }
    }

    /** The 6-digit HMAC-SHA1 code of {@code step}. */
    public static String code(byte[] secret, long step) {
        return hotp(secret, step, DIGITS, "HmacSHA1");
    }

    /**
     * The latest step among {@code step(now) - 1 .. step(now) + 1} whose code is {@code code}. Every
     * candidate is computed and compared in constant time, so the timing does not tell which
     * matched. {@code code} must be 6 ASCII digits (the caller parses).
     */
    public static OptionalLong matchingStep(byte[] secret, String code, Instant now) {
        long current = step(now);
        long found = Long.MIN_VALUE;
        byte[] given = code.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (long s = current - 1; s <= current + 1; s++) {
            byte[] expected = code(secret, s).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given)) {
                found = s;
            }
        }
        return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }
}
