package dev.portcullis.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A device cookie's value (OWASP "Blocking Brute Force Attacks", device cookies): proof that this
 * browser signed in to one account with its password before. It opens nothing by itself; a sign-in
 * that presents it for that account is throttled on the device's own budget instead of the
 * account-wide one, so wrong guesses from elsewhere cannot lock the owner out. Issued by
 * {@code Sessions.login} on every password sign-in ({@code LoginResult.Success.device()}); its
 * signature, expiry and account are checked by the core, which holds the key.
 *
 * <p>Shape: {@code nonce.issuedAt.signature} (22 base64url characters, epoch seconds, 43 base64url
 * characters). {@link #toString()} is redacted.
 */
public record DeviceToken(String value) {

    public DeviceToken {
        Objects.requireNonNull(value, "value");
        if (!wellFormed(value)) {
            throw new IllegalArgumentException("not a device token");
        }
    }

    /** Parses untrusted input (a cookie value); empty when it is not shaped like a device token. */
    public static Optional<DeviceToken> parse(String value) {
        return value != null && wellFormed(value) ? Optional.of(new DeviceToken(value)) : Optional.empty();
    }

    private static boolean wellFormed(String s) {
        int first = s.indexOf('.');
        int second = s.indexOf('.', first + 1);
        if (first != 22 || second < 24 || second > 35 || s.length() != second + 44) {
            return false;
        }
        for (int i = first + 1; i < second; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return base64Url(s, 0, first) && base64Url(s, second + 1, s.length());
    }

    private static boolean base64Url(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "DeviceToken[redacted]";
    }
}
