package dev.portcullis.internal;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of second factors, derived from the application's {@code secondFactorKey}: AES-256-GCM
 * for TOTP secrets at rest (a fresh 96-bit nonce per seal, the user id as associated data, so a
 * sealed secret copied to another account's row does not open), and an HMAC-SHA-256 key for
 * recovery-code digests (a pepper: a copy of the table alone cannot be searched offline). Both
 * sub-keys come from HMAC-SHA-256 over the application key with distinct labels.
 */
public final class SecretBox {

    private static final String VERSION = "v1.";
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec sealKey;
    private final SecretKeySpec codeKey;
    private final Secrets secrets;

    public SecretBox(byte[] applicationKey, Secrets secrets) {
        this.sealKey = new SecretKeySpec(derive(applicationKey, "portcullis/totp-secret/v1"), "AES");
        this.codeKey = new SecretKeySpec(derive(applicationKey, "portcullis/recovery-code/v1"), "HmacSHA256");
        this.secrets = secrets;
    }

    private static byte[] derive(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** {@code v1.} + base64url(nonce ‖ ciphertext ‖ tag): 66 characters for a 20-byte secret. */
    public String seal(UserId owner, byte[] secret) {
        byte[] nonce = secrets.bytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(owner.value().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    /** The secret; empty when it was sealed under another key or for another user, or was altered. */
    public Optional<byte[]> open(UserId owner, String sealed) {
        if (!sealed.startsWith(VERSION)) {
            return Optional.empty();
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
            if (in.length <= NONCE_BYTES + 16) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
            cipher.updateAAD(owner.value().getBytes(StandardCharsets.UTF_8));
            return Optional.of(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    /** The stored form of a recovery code: HMAC-SHA-256 over the owner and the normalised code. */
    public TokenDigest recoveryCodeDigest(UserId owner, String normalisedCode) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(codeKey);
            byte[] tag = mac.doFinal((owner.value() + "\n" + normalisedCode).getBytes(StandardCharsets.UTF_8));
            return new TokenDigest(HexFormat.of().formatHex(tag));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
