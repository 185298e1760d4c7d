package dev.portcullis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published test vectors: RFC 4226 Appendix D and the SHA-1 rows of RFC 6238 Appendix B. */
class TotpTest {

    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc4226AppendixDHotpValues() {
        List<String> expected = List.of("755224", "287082", "359152", "969429", "338314", "254676", "287922",
                "162583", "399871", "520489");
        for (int counter = 0; counter < expected.size(); counter++) {
            assertThat(Totp.hotp(SECRET, counter, 6, "HmacSHA1")).as("count " + counter).isEqualTo(expected.get(counter));
        }
    }

    @Test
    void rfc6238AppendixBSha1Rows() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        long[] steps = {0x1L, 0x23523ECL, 0x23523EDL, 0x273EF07L, 0x3F940AAL, 0x27BC86AAL};
        String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            long step = Totp.step(Instant.ofEpochSecond(times[i]));
            assertThat(step).as("T at " + times[i]).isEqualTo(steps[i]);
            assertThat(Totp.hotp(SECRET, step, 8, "HmacSHA1")).as("TOTP at " + times[i]).isEqualTo(codes[i]);
        }
    }

    @Test
    void sixDigitCodesAreTheLastSixOfTheEightDigitOnesAndOneStepOfDriftIsAccepted() {
        Instant at = Instant.ofEpochSecond(1111111109L);
        assertThat(Totp.code(SECRET, Totp.step(at))).isEqualTo("081804");
        assertThat(Totp.matchingStep(SECRET, "081804", at)).hasValue(0x23523ECL);
        assertThat(Totp.matchingStep(SECRET, "081804", at.plusSeconds(30))).as("one step late").hasValue(0x23523ECL);
        assertThat(Totp.matchingStep(SECRET, "081804", at.minusSeconds(30))).as("one step early").hasValue(0x23523ECL);
        assertThat(Totp.matchingStep(SECRET, "081804", at.plusSeconds(60))).as("two steps late").isEmpty();
    }

    @Test
    void base32RoundTripsAndMatchesRfc4648() {
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Base32.encode(SECRET)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")).isEqualTo(SECRET);
    }

    @Test
    void codeParsingAcceptsAsciiDigitsAndRecoveryCodesOnly() {
        assertThat(SecondFactorCheck.parse("123456")).containsInstanceOf(SecondFactorCheck.Code.Totp.class);
        assertThat(SecondFactorCheck.parse(" 123 456 ")).containsInstanceOf(SecondFactorCheck.Code.Totp.class);
        assertThat(SecondFactorCheck.parse("abcde-fgh23")).get()
                .isEqualTo(new SecondFactorCheck.Code.Recovery("ABCDEFGH23"));
        for (String bad : new String[] {null, "", "   ", "12345", "1234567", "12345a", "\u0661\u0662\u0663\u0664\u0665\u0666",
                "\uff11\uff12\uff13\uff14\uff15\uff16", "abcde-fgh1", "abcdefghijk", "1".repeat(10_000), "12\u00003456",
                "\u00e9bcde-fghij"}) {
            assertThat(SecondFactorCheck.parse(bad)).as(String.valueOf(bad).length() > 20 ? "long" : bad).isEmpty();
        }
    }
}
