package dev.portcullis.password;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.PasswordHasherException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Verifies legacy bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}, as Flask-Bcrypt, PHP and
 * Spring Security write them) so users of an existing application can log in, after which the
 * core replaces the hash with Argon2id ({@link #needsRehash} is always true). Verify-only:
 * {@link #hash} refuses.
 *
 * <p>bcrypt reads at most 72 bytes of UTF-8; longer passwords are truncated exactly as the
 * original application did when it made the hash. After the upgrade every character counts.
 */
public final class BcryptVerifier implements PasswordHasher {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private final BCrypt.Verifyer verifyer =
            BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

    @Override
    public PasswordHash hash(RawPassword password) {
        throw new UnsupportedOperationException("bcrypt is verify-only here: new hashes are Argon2id");
    }

    @Override
    public boolean verify(RawPassword password, PasswordHash hash) {
        if (!supports(hash)) {
            throw new IllegalArgumentException("not a bcrypt hash: " + hash);
        }
        char[] chars = password.normalized();
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        byte[] utf8 = new byte[encoded.remaining()];
        encoded.get(utf8);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        try {
            BCrypt.Result result = verifyer.verify(utf8, hash.encoded().getBytes(StandardCharsets.US_ASCII));
            if (!result.validFormat) {
                throw new PasswordHasherException("corrupt bcrypt hash: " + result.formatErrorMessage, null);
            }
            return result.verified;
        } catch (IllegalArgumentException e) {
            throw new PasswordHasherException("bcrypt verification failed", e);
        } finally {
            Arrays.fill(chars, '\0');
            Arrays.fill(utf8, (byte) 0);
        }
    }

    @Override
    public boolean supports(PasswordHash hash) {
        return BCRYPT.matcher(hash.encoded()).matches();
    }

    @Override
    public boolean needsRehash(PasswordHash hash) {
        return true;
    }
}
