package dev.portcullis.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Hashes come from Bouncy Castle, an implementation independent of the one under test. */
class BcryptVerifierTest {

    private final BcryptVerifier verifier = new BcryptVerifier();

    static PasswordHash bcrypt(String version, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new PasswordHash(OpenBSDBCrypt.generate(version, password.toCharArray(), salt, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2a", "2b", "2y"})
    void verifiesEveryCommonVersion(String version) {
        PasswordHash hash = bcrypt(version, "flask era password");
        assertThat(hash.encoded()).startsWith("$" + version + "$05$");
        assertThat(verifier.supports(hash)).isTrue();
        assertThat(verifier.verify(RawPassword.of("flask era password"), hash)).isTrue();
        assertThat(verifier.verify(RawPassword.of("flask era passwore"), hash)).isFalse();
        assertThat(verifier.needsRehash(hash)).isTrue();
    }

    @Test
    void unicodePasswordsVerifyAsUtf8() {
        PasswordHash hash = bcrypt("2b", "p\u00e4ssw\u00f6rd \uD83D\uDD11");
        assertThat(verifier.verify(RawPassword.of("pa\u0308ssw\u00f6rd \uD83D\uDD11"), hash)).isTrue();
    }

    @Test
    void refusesToMakeNewHashes() {
        assertThatThrownBy(() -> verifier.hash(RawPassword.of("x"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void doesNotClaimOtherSchemes() {
        assertThat(verifier.supports(new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))).isFalse();
        assertThat(verifier.supports(new PasswordHash("$2x$05$abcdefghijklmnopqrstuu5dSGRNKJr2xyE7pLsG0wAA/tgVW4jS."))).isFalse();
    }
}
