package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {

    private final CsrfTokens csrf = new CsrfTokens(new byte[32], new SecureRandom());

    @Test
    void tokenForWhenCalledFromManyThreadsAtOnceThenEveryAnswerEqualsTheSingleThreadedOne() throws Exception {
        String cookie = csrf.newCookieValue();
        Optional<TokenDigest> session = Optional.of(TokenDigest.of("session"));
        String expected = csrf.tokenFor(cookie, session);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    for (int k = 0; k < 200; k++) {
                        if (!csrf.tokenFor(cookie, session).equals(expected) || !csrf.verify(expected, cookie, session)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verifyWhenKeyCookieOrSessionDiffersThenRefused() {
        String cookie = csrf.newCookieValue();
        Optional<TokenDigest> session = Optional.of(TokenDigest.of("session"));
        String token = csrf.tokenFor(cookie, session);
        CsrfTokens otherKey = new CsrfTokens(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, new SecureRandom());

        assertThat(csrf.verify(token, cookie, session)).isTrue();
        assertThat(otherKey.verify(token, cookie, session)).isFalse();
        assertThat(csrf.verify(token, csrf.newCookieValue(), session)).isFalse();
        assertThat(csrf.verify(token, cookie, Optional.empty())).isFalse();
    }

    @Test
    void issuedWhenTheValueWasNotDrawnByThisKeyThenFalse() {
        String mine = csrf.newCookieValue();
        CsrfTokens otherKey = new CsrfTokens(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}, new SecureRandom());
        char last = mine.charAt(42);
        String flipped = mine.substring(0, 42) + (last == 'A' ? 'B' : 'A');

        assertThat(csrf.issued(mine)).isTrue();
        assertThat(mine).matches("[A-Za-z0-9_-]{43}");
        assertThat(csrf.issued("A".repeat(43))).isFalse();
        assertThat(csrf.issued(otherKey.newCookieValue())).isFalse();
        assertThat(csrf.issued(flipped)).isFalse();
        assertThat(csrf.issued(null)).isFalse();
        assertThat(csrf.verify(csrf.tokenFor("A".repeat(43), Optional.empty()), "A".repeat(43), Optional.empty()))
                .as("a token for a planted value is refused even when it matches").isFalse();
    }

    @Test
    void issuedWhenAskedAgainAndAgainThenTheSameAnswersAsTheFirstTime() {
        // The second ask is answered from the table of recent values: it must agree with the HMAC.
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more values than the table has slots: collisions evict
            mine.add(csrf.newCookieValue());
        }
        for (int round = 0; round < 2; round++) {
            for (String value : mine) {
                assertThat(csrf.issued(value)).as("round %d", round).isTrue();
            }
        }
        for (String value : mine.subList(0, 500)) {
            char c = value.charAt(10);
            String altered = value.substring(0, 10) + (c == 'x' ? 'y' : 'x') + value.substring(11);
            assertThat(csrf.issued(altered)).as("one character changed in a remembered value").isFalse();
            // A value another key drew, with the same hash slot as a remembered one, is still checked.
            assertThat(new CsrfTokens(new byte[32], new SecureRandom()).issued(value))
                    .as("the same key in another filter instance recognises it by its tag").isTrue();
        }
    }

    @Test
    void issuedWhenTheLastCharacterSpellsTheSameBytesDifferentlyThenFalse() {
        String mine = csrf.newCookieValue();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(mine.charAt(42));
        assertThat(last % 4).as("the padding bits of a canonical value are zero").isZero();
        for (int stray = 1; stray < 4; stray++) {
            String other = mine.substring(0, 42) + alphabet.charAt(last + stray);
            assertThat(java.util.Base64.getUrlDecoder().decode(other)).as("decodes to the same bytes")
                    .isEqualTo(java.util.Base64.getUrlDecoder().decode(mine));
            assertThat(csrf.issued(other)).isFalse();
        }
    }

    @Test
    void wellFormedIsExactlyFortyThreeBase64UrlCharacters() {
        java.util.regex.Pattern reference = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");
        String base = csrf.newCookieValue();
        List<String> inputs = new ArrayList<>(List.of("", base.substring(1), base + "A", base.toUpperCase()));
        for (char c = 0; c < 256; c++) {
            inputs.add(base.substring(0, 20) + c + base.substring(21));
        }
        inputs.add(base.substring(0, 20) + '\u0661' + base.substring(21));
        for (String input : inputs) {
            assertThat(CsrfTokens.wellFormed(input)).as("%s", input).isEqualTo(reference.matcher(input).matches());
        }
    }
}
