package dev.portcullis.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Run by hand, not by the build: compares what one access-token signature verify costs per
 * algorithm and provider, single-threaded, on the same compact JWS bytes. The figures in
 * {@code docs/guide/tokens.md} come from this class. Not JMH: repeated timed rounds after a
 * generous warm-up, the median round reported, results consumed so the JIT cannot drop them.
 *
 * <pre>
 * mvn -q -pl auth-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp auth-core/target/test-classes:auth-core/target/classes:$(cat /tmp/cp.txt) \
 *     dev.portcullis.token.SignatureVerifyMeasurement
 * </pre>
 */
public final class SignatureVerifyMeasurement {

    private static final String PAYLOAD = "{\"iss\":\"https://auth.example.com\",\"aud\":\"https://api.example.com\","
            + "\"sub\":\"5b1f9f2e-3c7a-4d8e-9a51-0c2b7f1e6d43\",\"iat\":1893456000,\"exp\":1893456600,"
            + "\"jti\":\"Zk3qX2v9bL1mN8pR4tW7yA\"}";

    private SignatureVerifyMeasurement() {
    }

    interface Op {
        boolean run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Provider bc = new BouncyCastleProvider();
        byte[] input;
        long sink = 0;

        // RS256 (2048-bit), nimbus + JDK
        KeyPair rsa = gen("RSA", null, 2048, null);
        JWSObject rs = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID("k").build(),
                new RSASSASigner(rsa.getPrivate()));
        RSASSAVerifier rsv = new RSASSAVerifier((RSAPublicKey) rsa.getPublic());
        sink += report("RS256  nimbus (JDK)", () -> rs.verify(rsv));

        // ES256, nimbus with JDK provider and with Bouncy Castle
        KeyPair ec = gen("EC", new ECGenParameterSpec("secp256r1"), 0, null);
        JWSObject es = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID("k").build(),
                new ECDSASigner(ec.getPrivate(), com.nimbusds.jose.jwk.Curve.P_256));
        ECDSAVerifier esv = new ECDSAVerifier((ECPublicKey) ec.getPublic());
        sink += report("ES256  nimbus (JDK)", () -> es.verify(esv));
        ECDSAVerifier esvBc = new ECDSAVerifier((ECPublicKey) ec.getPublic());
        esvBc.getJCAContext().setProvider(bc);
        sink += report("ES256  nimbus (BC)", () -> es.verify(esvBc));

        // Ed25519: nimbus's Ed25519Verifier needs Tink, so raw Signature over header.payload
        for (Provider p : new Provider[] {null, bc}) {
            KeyPair ed = gen("Ed25519", null, 0, p);
            String signingInput = b64("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"k\"}") + "." + b64(PAYLOAD);
            input = signingInput.getBytes(StandardCharsets.US_ASCII);
            Signature signer = p == null ? Signature.getInstance("Ed25519") : Signature.getInstance("Ed25519", p);
            signer.initSign(ed.getPrivate());
            signer.update(input);
            byte[] sig = signer.sign();
            byte[] in = input;
            Signature verifier = p == null ? Signature.getInstance("Ed25519") : Signature.getInstance("Ed25519", p);
            sink += report("EdDSA  JDK Signature (" + (p == null ? "JDK" : "BC") + ")", () -> {
                verifier.initVerify(ed.getPublic());
                verifier.update(in);
                return verifier.verify(sig);
            });
        }

        // HS256 for reference
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        JWSObject hs = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).keyID("k").build(),
                new MACSigner(secret));
        MACVerifier hsv = new MACVerifier(secret);
        sink += report("HS256  nimbus (JDK)", () -> hs.verify(hsv));

        // A cache hit: SHA-256 of the compact token + a concurrent map lookup
        String token = es.serialize();
        ConcurrentHashMap<String, Boolean> cache = new ConcurrentHashMap<>();
        cache.put(digest(token), Boolean.TRUE);
        sink += report("cache hit (SHA-256 + map)", () -> cache.containsKey(digest(token)));

        // Parse only: what every verify pays before the signature
        sink += report("JWSObject.parse (ES256 token)", () -> JWSObject.parse(token).getPayload() != null);

        System.out.println("(sink " + sink + ")");
    }

    private static long report(String name, Op op) throws Exception {
        int batch = 2_000;
        for (int i = 0; i < 5; i++) {
            timeBatch(op, batch);
        }
        long[] rounds = new long[9];
        for (int i = 0; i < rounds.length; i++) {
            rounds[i] = timeBatch(op, batch);
        }
        java.util.Arrays.sort(rounds);
        double micros = rounds[rounds.length / 2] / 1_000.0 / batch;
        System.out.printf("%-32s %10.2f µs/op  (min %.2f, max %.2f)%n", name, micros,
                rounds[0] / 1_000.0 / batch, rounds[rounds.length - 1] / 1_000.0 / batch);
        return rounds[0];
    }

    private static long timeBatch(Op op, int n) throws Exception {
        int ok = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (op.run()) {
                ok++;
            }
        }
        long elapsed = System.nanoTime() - t0;
        if (ok != n) {
            throw new IllegalStateException("verification failed " + (n - ok) + " times");
        }
        return elapsed;
    }

    private static JWSObject sign(JWSHeader header, com.nimbusds.jose.JWSSigner signer) throws Exception {
        JWSObject o = new JWSObject(header, new Payload(PAYLOAD));
        o.sign(signer);
        return JWSObject.parse(o.serialize());
    }

    private static KeyPair gen(String alg, ECGenParameterSpec spec, int size, Provider p) throws Exception {
        KeyPairGenerator g = p == null ? KeyPairGenerator.getInstance(alg) : KeyPairGenerator.getInstance(alg, p);
        if (spec != null) {
            g.initialize(spec);
        } else if (size > 0) {
            g.initialize(size);
        }
        return g.generateKeyPair();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(String token) throws Exception {
        return java.util.HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }
}
