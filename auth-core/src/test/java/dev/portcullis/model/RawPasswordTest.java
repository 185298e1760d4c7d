package dev.portcullis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RawPasswordTest {

    @Test
    void toStringNeverRevealsThePassword() {
        assertThat(RawPassword.of("hunter2-hunter2-hunter2").toString()).doesNotContain("hunter");
    }

    @Test
    void closeOverwritesTheCallersArray() {
        char[] chars = "secret-secret-secret".toCharArray();
        RawPassword password = RawPassword.of(chars);
        password.close();
        assertThat(new String(chars)).isEqualTo("\0".repeat(20));
        assertThatThrownBy(password::normalized).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void composedAndDecomposedFormsAreTheSamePassword() {
        RawPassword composed = RawPassword.of("caf\u00e9 au lait s'il vous pla\u00eet");
        RawPassword decomposed = RawPassword.of("cafe\u0301 au lait s'il vous plai\u0302t");
        assertThat(composed.sameAs(decomposed)).isTrue();
        assertThat(decomposed.codePointCount()).isEqualTo(composed.codePointCount());
    }

    @Test
    void codePointsNotCharsAreCounted() {
        assertThat(RawPassword.of("\uD83D\uDE00".repeat(3)).codePointCount()).isEqualTo(3);
    }

    @Test
    void differentPasswordsAreNotTheSame() {
        assertThat(RawPassword.of("abc").sameAs(RawPassword.of("abd"))).isFalse();
        assertThat(RawPassword.of("abc").sameAs(RawPassword.of("abc "))).isFalse();
    }
}
