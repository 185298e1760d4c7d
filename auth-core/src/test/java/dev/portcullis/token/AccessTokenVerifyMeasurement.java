package dev.portcullis.token;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Run by hand, not by the build: what {@link Tokens#verifyAccessToken} costs end to end
 * (size and shape checks, header, key lookup, signature, claims) per algorithm, with and without
 * the verified-token cache, and what strict mode adds. Single thread; median of 9 timed rounds
 * after 5 warm-up rounds. Figures go into {@code docs/guide/tokens.md}.
 *
 * <pre>
 * mvn -q -pl auth-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp auth-core/target/test-classes:auth-core/target/classes:$(cat /tmp/cp.txt) \
 *     dev.portcullis.token.AccessTokenVerifyMeasurement
 * </pre>
 */
public final class AccessTokenVerifyMeasurement {

    private AccessTokenVerifyMeasurement() {
    }

    public static void main(String[] args) {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        SigningKey rs = SigningKey.generate(TokenAlgorithm.RS256);
        SigningKey es = SigningKey.generate(TokenAlgorithm.ES256);
        SigningKey hs = SigningKey.hmac("hs", secret);
        for (SigningKey key : new SigningKey[] {rs, es, hs}) {
            measure(key.algorithm() + " no cache", key, b -> b.verifiedTokenCacheSize(0));
            measure(key.algorithm() + " cache hit", key, UnaryOperator.identity());
        }
        measure(rs.algorithm() + " no cache, strict", rs, b -> b.verifiedTokenCacheSize(0).strictMode(true, Duration.ofSeconds(5)));
        measure(rs.algorithm() + " cache hit, strict", rs, b -> b.strictMode(true, Duration.ofSeconds(5)));
    }

    private static void measure(String name, SigningKey key, UnaryOperator<TokenSettings.Builder> config) {
        TokenFixture f = new TokenFixture(b -> config.apply(b.keys(AccessTokenKeys.of(key))));
        f.register("bench@example.com");
        String token = f.issue("bench@example.com").tokens().accessToken();
        int batch = key.algorithm() == TokenAlgorithm.ES256 && name.contains("no cache") ? 300 : 5_000;
        for (int i = 0; i < 5; i++) {
            round(f, token, batch);
        }
        long[] rounds = new long[9];
        for (int i = 0; i < rounds.length; i++) {
            rounds[i] = round(f, token, batch);
        }
        Arrays.sort(rounds);
        System.out.printf("%-40s %9.2f µs/op  (min %.2f, max %.2f)%n", name, rounds[4] / 1e3 / batch,
                rounds[0] / 1e3 / batch, rounds[8] / 1e3 / batch);
    }

    private static long round(TokenFixture f, String token, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!(f.tokens.verifyAccessToken(token) instanceof AccessTokenVerification.Valid)) {
                throw new IllegalStateException("token refused");
            }
        }
        return System.nanoTime() - t0;
    }
}
