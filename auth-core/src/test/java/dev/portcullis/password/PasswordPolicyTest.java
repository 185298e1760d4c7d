package dev.portcullis.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.RawPassword;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = PasswordPolicy.defaults();

    private List<String> check(String password) {
        return policy.check(RawPassword.of(password), List.of("Portcullis", "alice"));
    }

    @Test
    void fifteenEmojiAreAcceptedFourteenAreNot() {
        String emoji = "\uD83D\uDE00\uD83C\uDF89\uD83D\uDC0D\uD83E\uDD84\uD83C\uDF55";
        assertThat(check(emoji.repeat(3))).isEmpty();
        assertThat(check(emoji.repeat(3).substring(0, 28))).containsExactly("Use at least 15 characters.");
    }

    @Test
    void lengthIsCountedAfterNfc() {
        // 28 chars as typed, 14 code points after NFC: too short.
        assertThat(check("e\u0301".repeat(13) + "x")).containsExactly("Use at least 15 characters.");
        assertThat(check("e\u0301".repeat(14) + "x")).isEmpty();
    }

    @Test
    void overTheMaximumIsRefused() {
        assertThat(check("a-b-c-d".repeat(146) + "xy")).isEmpty(); // 1024 code points
        assertThat(check("a-b-c-d".repeat(146) + "xyz")).containsExactly("Use at most 1024 characters.");
    }

    @Test
    void aLongUniquePassphraseIsAccepted() {
        assertThat(check("violet tractor umbrella seventeen")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"passwordpassword", "password12345678", "PASSWORD1234567!", "aaaaaaaaaaaaaaaa",
            "abcabcabcabcabcabc", "qwertyuiopasdfgh", "1234567890123456", "iloveyouiloveyou", "correcthorsebatterystaple"})
    void commonAndPatternedPasswordsAreRefused(String password) {
        assertThat(check(password)).anyMatch(m -> m.contains("too common"));
    }

    @Test
    void passwordsBuiltOnContextWordsAreRefused() {
        assertThat(check("my-portcullis-login-2024")).anyMatch(m -> m.contains("email address or the name"));
        assertThat(check("alice-in-wonderland-1865")).anyMatch(m -> m.contains("email address or the name"));
    }

    @Test
    void minimumCanBeLoweredButNeverBelowEight() {
        assertThat(PasswordPolicy.builder().minLength(8).build().check(RawPassword.of("zebra-kiwi"), List.of())).isEmpty();
        assertThatThrownBy(() -> PasswordPolicy.builder().minLength(7)).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> PasswordPolicy.builder().maxLength(63)).hasMessageContaining("between 64");
        assertThatThrownBy(() -> PasswordPolicy.builder().maxLength(1025)).hasMessageContaining("between 64");
    }

    @Test
    void hardCapIsDetectedWithoutNormalisingHugeInput() {
        assertThat(PasswordPolicy.exceedsHardCap(RawPassword.of("x".repeat(1024)))).isFalse();
        assertThat(PasswordPolicy.exceedsHardCap(RawPassword.of("x".repeat(1025)))).isTrue();
        assertThat(PasswordPolicy.exceedsHardCap(RawPassword.of("x".repeat(10_000_000)))).isTrue();
    }
}
