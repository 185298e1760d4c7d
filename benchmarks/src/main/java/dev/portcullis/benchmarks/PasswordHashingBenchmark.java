package dev.portcullis.benchmarks;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.Argon2idHasher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Argon2id at the default parameters (OWASP 2023: m=19456 KiB, t=2, p=1), one thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordHashingBenchmark {

    private Argon2idHasher hasher;
    private PasswordHash hash;

    @Setup
    public void setUp() {
        hasher = new Argon2idHasher();
        try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
            hash = hasher.hash(p);
        }
    }

    @Benchmark
    public PasswordHash argon2idHash() {
        try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
            return hasher.hash(p);
        }
    }

    @Benchmark
    public boolean argon2idVerify() {
        try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
            return hasher.verify(p, hash);
        }
    }
}
