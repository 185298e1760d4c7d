package dev.portcullis.password;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.PasswordHasherException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Argon2id (RFC 9106) through argon2-jvm's native library: 16-byte salt, 32-byte tag, PHC strings.
 *
 * <p>Always Argon2id: argon2-jvm's plain {@code create()} would give Argon2i. {@link #needsRehash}
 * compares type, version, memory, iterations, parallelism, salt and tag length (argon2-jvm's own
 * compares only m/t/p). The constructor runs a self-test (hash and verify), so a missing native
 * library fails when the application boots rather than at the first login.
 *
 * <p>Every native call runs with no thread context class loader: the threads the binding starts
 * on first use (JNA's cleaner, the JDK's process reaper for its library search) inherit the
 * caller's, and a web application's loader held by a thread that outlives an undeploy is a leak
 * (Tomcat reports it). So they inherit none.
 *
 * <p>argon2-jvm is LGPL-3.0 and native; where that does not suit, implement
 * {@link PasswordHasher} on another library.
 */
public final class Argon2idHasher implements PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int TAG_BYTES = 32;
    private static final int VERSION_13 = 0x13;
    private static final String PREFIX = "$argon2id$";

    private final Argon2Advanced argon2;
    private final Argon2Parameters parameters;

    /** With {@link Argon2Parameters#OWASP_2023}. */
    public Argon2idHasher() {
        this(Argon2Parameters.OWASP_2023);
    }

    /**
     * @throws PasswordHasherException if the native library cannot be loaded or fails its self-test
     */
    public Argon2idHasher(Argon2Parameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        try {
            this.argon2 = withoutContextLoader(() ->
                    Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id, SALT_BYTES, TAG_BYTES));
        } catch (RuntimeException | LinkageError e) {
            throw new PasswordHasherException("Argon2 native library could not be loaded (argon2-jvm); "
                    + "check that the platform is supported or plug in another PasswordHasher", e);
        }
        selfTest();
    }

    private void selfTest() {
        try (RawPassword probe = RawPassword.of("portcullis self-test \u00e9");
             RawPassword wrong = RawPassword.of("portcullis self-test e")) {
            PasswordHash hash = hash(probe);
            if (!supports(hash) || !verify(probe, hash) || verify(wrong, hash) || needsRehash(hash)) {
                throw new PasswordHasherException("Argon2id self-test gave a wrong answer", null);
            }
        }
    }

    public Argon2Parameters parameters() {
        return parameters;
    }

    @Override
    public PasswordHash hash(RawPassword password) {
        char[] chars = password.normalized();
        try {
            return new PasswordHash(withoutContextLoader(() -> argon2.hash(parameters.iterations(), parameters.memoryKiB(),
                    parameters.parallelism(), chars, StandardCharsets.UTF_8)));
        } catch (RuntimeException | LinkageError e) {
            throw new PasswordHasherException("Argon2id hashing failed", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public boolean verify(RawPassword password, PasswordHash hash) {
        if (!supports(hash)) {
            throw new IllegalArgumentException("not an Argon2id hash: " + hash);
        }
        char[] chars = password.normalized();
        try {
            return withoutContextLoader(() -> argon2.verify(hash.encoded(), chars, StandardCharsets.UTF_8));
        } catch (RuntimeException | LinkageError e) {
            // A decoding or memory error is a fault, never "wrong password".
            throw new PasswordHasherException("Argon2id verification failed", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public boolean supports(PasswordHash hash) {
        return hash.encoded().startsWith(PREFIX) && PhcArgon2.parse(hash.encoded()).isPresent();
    }

    @Override
    public boolean needsRehash(PasswordHash hash) {
        return PhcArgon2.parse(hash.encoded())
                .map(p -> !p.type().equals("argon2id") || p.version() != VERSION_13
                        || p.memoryKiB() != parameters.memoryKiB() || p.iterations() != parameters.iterations()
                        || p.parallelism() != parameters.parallelism()
                        || p.saltBytes() != SALT_BYTES || p.tagBytes() != TAG_BYTES)
                .orElse(true);
    }

    private static <T> T withoutContextLoader(java.util.function.Supplier<T> nativeCall) {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        if (caller == null) {
            return nativeCall.get();
        }
        thread.setContextClassLoader(null);
        try {
            return nativeCall.get();
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    @Override
    public String toString() {
        return "Argon2idHasher" + parameters;
    }
}
