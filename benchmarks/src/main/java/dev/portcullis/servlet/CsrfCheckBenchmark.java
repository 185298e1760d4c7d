package dev.portcullis.servlet;

import dev.portcullis.model.TokenDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CSRF check {@link AuthFilter} runs on every unsafe form request: HMAC over cookie value and
 * session digest, constant-time compare. Lives in the servlet package (of the benchmarks jar only)
 * because {@link CsrfTokens} is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CsrfCheckBenchmark {

    private CsrfTokens csrf;
    private String cookie;
    private Optional<TokenDigest> session;
    private String token;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        csrf = new CsrfTokens(key, random);
        cookie = csrf.newCookieValue();
        session = Optional.of(TokenDigest.of(csrf.newCookieValue()));
        token = csrf.tokenFor(cookie, session);
        if (!csrf.verify(token, cookie, session)) {
            throw new IllegalStateException("CSRF token did not verify");
        }
    }

    @Benchmark
    public boolean csrfVerify() {
        return csrf.verify(token, cookie, session);
    }
}
