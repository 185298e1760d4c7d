package dev.portcullis.internal;

import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.TokenDigest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks device tokens (OWASP device cookies): HMAC-SHA256, under a key only the
 * {@code Portcullis} holds, over the account's canonical address, a 128-bit random nonce and the
 * issue time. Stateless: nothing is stored per device, so a token cannot be revoked one by one;
 * it dies when it expires or when the key changes (a random key per instance unless configured,
 * so the nodes of a cluster must be given the same one). A valid token names its own throttling
 * budget ({@link #budgetKey}), never an account's sessions.
 */
public final class DeviceTrust {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Secrets secrets;

    public DeviceTrust(byte[] key, Duration lifetime, Secrets secrets) {
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.lifetime = lifetime;
        this.secrets = secrets;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A fresh token for a browser that just signed in to {@code account} with its password. */
    public DeviceToken issue(EmailAddress account, Instant now) {
        String nonce = secrets.next(16);
        String issued = Long.toString(now.getEpochSecond());
        return new DeviceToken(nonce + "." + issued + "." + mac(account, nonce, issued));
    }

    /**
     * The throttling key of the device, when {@code token} was issued by this key for
     * {@code account} and has not expired; empty for anything else (a forgery, another account's
     * token, an old one), which then counts as no token at all.
     */
    public Optional<String> budgetKey(DeviceToken token, EmailAddress account, Instant now) {
        String[] parts = token.value().split("\\.", 3);
        long issuedAt;
        try {
            issuedAt = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Instant issued = Instant.ofEpochSecond(issuedAt); // at most 12 digits: well inside Instant's range
        if (issued.isAfter(now.plus(FUTURE_SKEW)) || !now.isBefore(issued.plus(lifetime))) {
            return Optional.empty();
        }
        byte[] expected = mac(account, parts[0], parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of("dev:" + TokenDigest.of("dev:" + parts[0]).hex());
    }

    private String mac(EmailAddress account, String nonce, String issued) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] out = mac.doFinal(("portcullis-device-v1\n" + account.canonical() + "\n" + nonce + "\n" + issued)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
