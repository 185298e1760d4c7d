package dev.portcullis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EmailAddressTest {

    @Test
    void parseTrimsAndKeepsTypedCaseForDisplay() {
        EmailAddress email = EmailAddress.of("  Alice.Smith@Example.COM \t");
        assertThat(email.display()).isEqualTo("Alice.Smith@Example.COM");
        assertThat(email.canonical()).isEqualTo("alice.smith@example.com");
    }

    @Test
    void equalityIsCaseInsensitiveThroughCanonicalForm() {
        assertThat(EmailAddress.of("BOB@example.com")).isEqualTo(EmailAddress.of("bob@EXAMPLE.com"));
        assertThat(EmailAddress.of("BOB@example.com").hashCode()).isEqualTo(EmailAddress.of("bob@example.com").hashCode());
    }

    @Test
    void fullWidthCharactersAreFoldedByNfkc() {
        assertThat(EmailAddress.of("\uFF41lice@example.com").canonical()).isEqualTo("alice@example.com");
    }

    @Test
    void dotlessIIsADifferentAddress() {
        assertThat(EmailAddress.of("m\u0131ke@example.com")).isNotEqualTo(EmailAddress.of("mike@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"p\u0430ypal@example.com" /* Cyrillic a */, "j\u043ehn@example.com" /* Cyrillic o */,
            "\u03b1lice@example.com" /* Greek alpha */, "\u0430\u03b2c@example.com" /* Cyrillic + Greek */,
            "admin\u0456@example.com" /* Cyrillic i */, "\u0561\u0062c@example.com" /* Armenian + Latin */})
    void localPartsMixingScriptsAreFlagged(String raw) {
        EmailAddress email = EmailAddress.of(raw);
        assertThat(email.localPartMixesScripts()).isTrue();
        assertThat(EmailAddress.of(raw)).as("still parsed: stored addresses must read back").isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"john.doe+2@example.com", "\u0438\u0432\u0430\u043d@example.com" /* all Cyrillic */,
            "\u03b4\u03bf\u03ba\u03b9\u03bc\u03ae@example.com" /* all Greek */, "m\u0131ke@example.com" /* Latin dotless i */,
            "\u5c71\u7530taro@example.com" /* Han + Latin */, "\u3084\u307e\u3060\u30bf\u30ed\u30a6\u5c71@example.jp",
            "\ud55c\uad6dkim@example.kr" /* Hangul + Latin */, "jos\u00e9.ni\u00f1o@example.com",
            "\u0438\u0432\u0430\u043d.2024@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444" /* the domain is not checked */})
    void singleScriptAndCjkLocalPartsAreNotFlagged(String raw) {
        assertThat(EmailAddress.of(raw).localPartMixesScripts()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "plainaddress", "@example.com", "alice@", "alice@@example.com", "alice@example",
            "al ice@example.com", "alice@exa mple.com", ".alice@example.com", "alice.@example.com", "al..ice@example.com",
            "alice@-example.com", "alice@exam\nple.com", "alice\r\n@example.com", "<script>@example.com",
            "alice@example..com"})
    void malformedAddressesAreRejected(String raw) {
        assertThat(EmailAddress.parse(raw)).as("'%s'", raw).isEmpty();
    }

    @Test
    void overLongAddressesAreRejected() {
        assertThat(EmailAddress.parse("a".repeat(65) + "@example.com")).isEmpty();
        assertThat(EmailAddress.parse("a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(63) + ".com")).isEmpty();
        assertThat(EmailAddress.parse("x".repeat(100_000))).isEmpty();
        assertThat(EmailAddress.parse(null)).isEmpty();
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertThat(EmailAddress.parse(" alice@example.com\n")).map(EmailAddress::display).contains("alice@example.com");
    }

    @Test
    void sqlLookingLocalPartIsJustText() {
        assertThat(EmailAddress.parse("o'brien@example.com")).map(EmailAddress::canonical).contains("o'brien@example.com");
    }

    @Test
    void ofThrowsOnMalformedInput() {
        assertThatThrownBy(() -> EmailAddress.of("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "a@b.co", "A.B+c@Example.COM", " x@y.z ", "a..b@c.de", ".a@b.cd", "a.@b.cd", "a@b", "a@.b.c",
            "a@b..c", "a@-b.c", "a@b-.c", "a@b-c.d-e", "a@b_c.de", "a b@c.de", "a@b@c.de", "@b.cd", "a@",
            "a!#$%&'*+/=?^_`{|}~-@x.io", "a\"b@c.de", "a(b)@c.de", "a@1.2", "a@b.c.", "a@b.c\u0000",
            "a@xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.de",
            "a@xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.de",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@b.cd",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@b.cd",
            "a@b.c-", "a@b.-c", "a\t@b.cd", "\u00e9@b.cd", "a@\u00e9.cd"})
    void theAsciiFastPathAcceptsExactlyWhatTheRegexesAccept(String raw) {
        assertThat(EmailAddress.parse(raw).map(EmailAddress::display))
                .isEqualTo(EmailAddress.parseWithRegexes(raw).map(EmailAddress::display));
    }

    @org.junit.jupiter.api.Test
    void theAsciiFastPathAgreesWithTheRegexesOnEveryShortAsciiString() {
        String alphabet = "a.-@!_ Z9";
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(""));
        for (int len = 1; len <= 6; len++) {
            java.util.List<String> next = new java.util.ArrayList<>();
            for (String s : all) {
                if (s.length() == len - 1) {
                    for (char c : alphabet.toCharArray()) {
                        next.add(s + c);
                    }
                }
            }
            all.addAll(next);
        }
        for (String raw : all) {
            assertThat(EmailAddress.parse(raw).map(EmailAddress::display)).as(raw)
                    .isEqualTo(EmailAddress.parseWithRegexes(raw).map(EmailAddress::display));
        }
    }
}
