package dev.portcullis.benchmarks;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.Argon2_context;
import de.mkammerer.argon2.jna.Argon2_version;
import de.mkammerer.argon2.jna.JnaUint32;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.Argon2Parameters;
import dev.portcullis.password.Argon2idHasher;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Argon2id at the default parameters (OWASP 2023: m=19456 KiB, t=2, p=1), one thread: the
 * library's hash and verify, and (issue 18) the floor they sit on — the raw native computation
 * ({@code argon2id_ctx}, no PHC encoding or decoding) on one block of memory allocated and touched
 * once, so that no page fault and no {@code malloc} is in the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordHashingBenchmark {

    private Argon2idHasher hasher;
    private PasswordHash hash;

    private Argon2_context.ByReference context;
    /** Kept reachable: the native side holds only their function pointers. */
    private Allocate allocate;
    private Free free;

    /** {@code int (*allocate_fptr)(uint8_t **memory, size_t bytes_to_allocate)} */
    public interface Allocate extends Callback {
        int invoke(Pointer memory, long bytes);
    }

    /** {@code void (*deallocate_fptr)(uint8_t *memory, size_t bytes_to_allocate)} */
    public interface Free extends Callback {
        void invoke(Pointer memory, long bytes);
    }

    @Setup
    public void setUp() {
        hasher = new Argon2idHasher();
        try (RawPassword p = RawPassword.of(Fixtures.PASSWORD)) {
            hash = hasher.hash(p);
        }
        Argon2Parameters params = Argon2Parameters.OWASP_2023;
        Memory block = new Memory(params.memoryKiB() * 1024L);
        block.clear(); // touches every page once, here, outside the measurement
        allocate = (out, bytes) -> {
            if (bytes > block.size()) {
                return -22; // ARGON2_MEMORY_ALLOCATION_ERROR
            }
            out.setPointer(0, block);
            return 0;
        };
        free = (memory, bytes) -> {
            // the block is reused; argon2 has already wiped it
        };
        byte[] password = Fixtures.PASSWORD.getBytes(StandardCharsets.UTF_8);
        Memory pwd = new Memory(password.length);
        pwd.write(0, password, 0, password.length);
        Memory salt = new Memory(16);
        salt.write(0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 0, 16);
        context = new Argon2_context.ByReference();
        context.out = new Memory(32);
        context.outlen = new JnaUint32(32);
        context.pwd = pwd;
        context.pwdlen = new JnaUint32(password.length);
        context.salt = salt;
        context.saltlen = new JnaUint32(16);
        context.secret = null;
        context.secretlen = new JnaUint32(0);
        context.ad = null;
        context.adlen = new JnaUint32(0);
        context.t_cost = new JnaUint32(params.iterations());
        context.m_cost = new JnaUint32(params.memoryKiB());
        context.lanes = new JnaUint32(params.parallelism());
        context.threads = new JnaUint32(params.parallelism());
        context.version = new Argon2_version(0x13);
        context.allocate_cbk = CallbackReference.getFunctionPointer(allocate);
        context.free_cbk = CallbackReference.getFunctionPointer(free);
        // ARGON2_FLAG_CLEAR_PASSWORD would wipe pwd after the first run; 0 keeps it.
        context.flags = new JnaUint32(0);
        if (argon2idRawPrefaulted() != 0) {
            throw new IllegalStateException("argon2id_ctx failed");
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

    /** The raw native computation on memory allocated and touched once (the floor for verify). */
    @Benchmark
    public int argon2idRawPrefaulted() {
        return Argon2Library.INSTANCE.argon2id_ctx(context);
    }
}
