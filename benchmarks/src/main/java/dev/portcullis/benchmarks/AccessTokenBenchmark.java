package dev.portcullis.benchmarks;

import dev.portcullis.Portcullis;
import dev.portcullis.token.Tokens;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.token.AccessTokenVerification;
import dev.portcullis.token.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JWT access-token verification through {@link Tokens#verifyAccessToken} (shape, header,
 * key, signature, claims; "cached" = a hit in the verified-token cache, "uncached" = cache size 0)
 * against a bare JDK signature check over the same signing input (header.payload) — the floor a
 * JOSE library cannot go below.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessTokenBenchmark {

    private Tokens rsCached;
    private Tokens rsUncached;
    private Tokens hsCached;
    private Tokens hsUncached;
    private String rsToken;
    private String hsToken;

    private byte[] rsInput;
    private byte[] rsSignature;
    private PublicKey rsaPublic;
    private byte[] hsInput;
    private byte[] hsSignature;
    private SecretKeySpec hmacKey;
    private PublicKey edPublic;
    private byte[] edSignature;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Fixtures.Stores stores = Fixtures.memoryStores();
        PasswordHasher hasher = Fixtures.hasher();
        Portcullis portcullis = Fixtures.portcullis(stores, hasher, Fixtures.defaultThrottle());
        PasswordHash hash = Fixtures.hashOfPassword(hasher);
        Fixtures.addUser(stores.users(), "api@bench.test", hash);

        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        rsaPublic = rsa.getPublic();
        SigningKey rsKey = SigningKey.rsa("bench-rs256", rsa);
        rsCached = Fixtures.tokenService(stores, hasher, rsKey, 10_000);
        rsUncached = Fixtures.tokenService(stores, hasher, rsKey, 0);
        rsToken = Fixtures.accessToken(rsCached, "api@bench.test");

        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        hmacKey = new SecretKeySpec(secret, "HmacSHA256");
        SigningKey hsKey = SigningKey.hmac("bench-hs256", secret);
        hsCached = Fixtures.tokenService(stores, hasher, hsKey, 10_000);
        hsUncached = Fixtures.tokenService(stores, hasher, hsKey, 0);
        hsToken = Fixtures.accessToken(hsCached, "api@bench.test");

        rsInput = signingInput(rsToken);
        rsSignature = signature(rsToken);
        hsInput = signingInput(hsToken);
        hsSignature = signature(hsToken);

        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        edPublic = ed.getPublic();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ed.getPrivate());
        signer.update(rsInput);
        edSignature = signer.sign();

        for (Tokens s : new Tokens[] {rsCached, rsUncached}) {
            check(s.verifyAccessToken(rsToken));
        }
        for (Tokens s : new Tokens[] {hsCached, hsUncached}) {
            check(s.verifyAccessToken(hsToken));
        }
        if (!rawRsaSha256() || !rawHmacSha256() || !rawEd25519()) {
            throw new IllegalStateException("raw verification failed");
        }
    }

    private static void check(AccessTokenVerification v) {
        if (!(v instanceof AccessTokenVerification.Valid)) {
            throw new IllegalStateException("token did not verify: " + v);
        }
    }

    private static byte[] signingInput(String jwt) {
        return jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] signature(String jwt) {
        return Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1));
    }

    @Benchmark
    public AccessTokenVerification rs256Cached() {
        return rsCached.verifyAccessToken(rsToken);
    }

    @Benchmark
    public AccessTokenVerification rs256Uncached() {
        return rsUncached.verifyAccessToken(rsToken);
    }

    @Benchmark
    public AccessTokenVerification hs256Cached() {
        return hsCached.verifyAccessToken(hsToken);
    }

    @Benchmark
    public AccessTokenVerification hs256Uncached() {
        return hsUncached.verifyAccessToken(hsToken);
    }

    @Benchmark
    public boolean rawRsaSha256() throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(rsaPublic);
        verifier.update(rsInput);
        return verifier.verify(rsSignature);
    }

    @Benchmark
    public boolean rawHmacSha256() throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(hmacKey);
        return MessageDigest.isEqual(mac.doFinal(hsInput), hsSignature);
    }

    @Benchmark
    public boolean rawEd25519() throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(edPublic);
        verifier.update(rsInput);
        return verifier.verify(edSignature);
    }
}
