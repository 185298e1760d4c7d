package dev.portcullis.servlet;

import dev.portcullis.model.TokenDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Run by hand, not by the build: what the CSRF check {@link AuthFilter} runs on every unsafe form
 * request costs (HMAC-SHA256 over cookie value and session digest, constant-time compare), for a
 * token that matches and for one that does not. It sits in the servlet package's tests because
 * {@link CsrfTokens} is package-private. Not JMH: single thread, the median of 9 timed rounds of
 * 20,000 checks after at least 3 s of warm-up, every result checked so the JIT cannot drop the work.
 *
 * <pre>
 * mvn -q -pl auth-servlet -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp auth-servlet/target/test-classes:auth-servlet/target/classes:$(cat /tmp/cp.txt) \
 *     dev.portcullis.servlet.CsrfCheckMeasurement
 * </pre>
 */
public final class CsrfCheckMeasurement {

    private static final int BATCH = 20_000;
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private CsrfCheckMeasurement() {
    }

    public static void main(String[] args) {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        CsrfTokens csrf = new CsrfTokens(key, random);
        String cookie = csrf.newCookieValue();
        Optional<TokenDigest> session = Optional.of(TokenDigest.of(csrf.newCookieValue()));
        String token = csrf.tokenFor(cookie, session);
        String wrong = csrf.tokenFor(csrf.newCookieValue(), session);
        String anonymous = csrf.tokenFor(cookie, Optional.empty());

        measure("CSRF verify, matching token", () -> csrf.verify(token, cookie, session));
        measure("CSRF verify, wrong token", () -> !csrf.verify(wrong, cookie, session));
        measure("CSRF verify, matching, no session", () -> csrf.verify(anonymous, cookie, Optional.empty()));
    }

    /** One check; returns whether it gave the expected answer. */
    private interface Check {
        boolean run();
    }

    private static void measure(String name, Check check) {
        // Time-based warm-up: with a fixed count the first check measured was still partly
        // uncompiled on a loaded 2-core machine (medians ~5× the steady state).
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; i < 5 || System.nanoTime() < warmUntil; i++) {
            round(check);
        }
        long[] rounds = new long[9];
        for (int i = 0; i < rounds.length; i++) {
            rounds[i] = round(check);
        }
        Arrays.sort(rounds);
        System.out.printf("%-36s %8.3f µs/op  (min %.3f, max %.3f)%n", name, rounds[4] / 1e3 / BATCH,
                rounds[0] / 1e3 / BATCH, rounds[8] / 1e3 / BATCH);
    }

    private static long round(Check check) {
        long t0 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            if (!check.run()) {
                throw new IllegalStateException("CSRF check gave the wrong answer");
            }
        }
        return System.nanoTime() - t0;
    }
}
