package dev.portcullis.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Argon2idHasherTest {

    private static final Argon2idHasher HASHER = new Argon2idHasher();

    @Test
    void hashIsArgon2idPhcStringWithOwaspParameters16ByteSaltAnd32ByteTag() {
        PasswordHash hash = HASHER.hash(RawPassword.of("correct horse battery staple"));
        assertThat(hash.encoded()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        String[] parts = hash.encoded().split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    }

    @Test
    void sameePasswordGetsDifferentSalts() {
        assertThat(HASHER.hash(RawPassword.of("same password twice")))
                .isNotEqualTo(HASHER.hash(RawPassword.of("same password twice")));
    }

    @Test
    void verifyAcceptsRightAndRefusesWrongPassword() {
        PasswordHash hash = HASHER.hash(RawPassword.of("correct horse battery staple"));
        assertThat(HASHER.verify(RawPassword.of("correct horse battery staple"), hash)).isTrue();
        assertThat(HASHER.verify(RawPassword.of("correct horse battery stapl"), hash)).isFalse();
        assertThat(HASHER.verify(RawPassword.of("correct horse battery staple "), hash)).isFalse();
        assertThat(HASHER.verify(RawPassword.of("Correct horse battery staple"), hash)).isFalse();
    }

    @Test
    void composedAndDecomposedUnicodeVerifyAgainstEachOther() {
        PasswordHash hash = HASHER.hash(RawPassword.of("cr\u00e8me br\u00fbl\u00e9e pour deux"));
        assertThat(HASHER.verify(RawPassword.of("cre\u0300me bru\u0302le\u0301e pour deux"), hash)).isTrue();
    }

    @Test
    void the73rdAnd100thCharactersBothMatter() {
        String base = "x".repeat(72);
        String password = base + "A" + "y".repeat(26) + "B";
        PasswordHash hash = HASHER.hash(RawPassword.of(password));
        assertThat(HASHER.verify(RawPassword.of(base + "Z" + "y".repeat(26) + "B"), hash)).isFalse();
        assertThat(HASHER.verify(RawPassword.of(base + "A" + "y".repeat(26) + "C"), hash)).isFalse();
        assertThat(HASHER.verify(RawPassword.of(password), hash)).isTrue();
    }

    @Test
    void weakerParametersAreRefusedAtConstruction() {
        assertThatThrownBy(() -> new Argon2Parameters(19455, 2, 1)).hasMessageContaining("OWASP");
        assertThatThrownBy(() -> new Argon2Parameters(19456, 1, 1)).hasMessageContaining("OWASP");
        assertThatThrownBy(() -> new Argon2Parameters(19456, 2, 0)).hasMessageContaining("OWASP");
    }

    @Test
    void needsRehashComparesTypeVersionAndEachParameter() {
        PasswordHash current = HASHER.hash(RawPassword.of("correct horse battery staple"));
        assertThat(HASHER.needsRehash(current)).isFalse();
        String tail = current.encoded().substring(current.encoded().indexOf("$", 30));
        assertThat(HASHER.needsRehash(new PasswordHash("$argon2i$v=19$m=19456,t=2,p=1" + tail))).isTrue();
        assertThat(HASHER.needsRehash(new PasswordHash("$argon2id$v=16$m=19456,t=2,p=1" + tail))).isTrue();
        assertThat(HASHER.needsRehash(new PasswordHash("$argon2id$v=19$m=65536,t=2,p=1" + tail))).isTrue();
        assertThat(HASHER.needsRehash(new PasswordHash("$argon2id$v=19$m=19456,t=3,p=1" + tail))).isTrue();
        assertThat(HASHER.needsRehash(new PasswordHash("$argon2id$v=19$m=19456,t=2,p=2" + tail))).isTrue();

        Argon2idHasher stronger = new Argon2idHasher(new Argon2Parameters(19456, 3, 1));
        assertThat(stronger.needsRehash(current)).isTrue();
        assertThat(stronger.verify(RawPassword.of("correct horse battery staple"), current)).isTrue();
    }

    @Test
    void supportsOnlyWellFormedArgon2id() {
        assertThat(HASHER.supports(new PasswordHash(""))).isFalse();
        assertThat(HASHER.supports(new PasswordHash("!"))).isFalse();
        assertThat(HASHER.supports(new PasswordHash("$2b$12$abcdefghijklmnopqrstuu5dSGRNKJr2xyE7pLsG0wAA/tgVW4jS."))).isFalse();
        assertThat(HASHER.supports(new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$short$short"))).isFalse();
        assertThatThrownBy(() -> HASHER.verify(RawPassword.of("x"), new PasswordHash("plain")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashingWipesNothingOfTheCallersPasswordButItsOwnCopies() {
        RawPassword password = RawPassword.of("still usable after hashing");
        PasswordHash hash = HASHER.hash(password);
        assertThat(HASHER.verify(password, hash)).isTrue();
    }
}
