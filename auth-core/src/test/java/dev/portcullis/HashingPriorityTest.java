package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.PasswordHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 18: the hashing threads' scheduling class on Linux, by default and when turned off. */
class HashingPriorityTest {

    /** The scheduling policy of the thread that ran the last verify (proc(5): 0 SCHED_OTHER, 5 SCHED_IDLE). */
    private final AtomicInteger policyOfVerify = new AtomicInteger(-1);

    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "SCHED_IDLE is Linux only");
    }

    @Test
    void byDefaultAVerifyRunsInTheIdleSchedulingClass() {
        try (Portcullis auth = Portcullis.builder().stores(InMemoryStores.create()).passwordHasher(new PolicyRecorder()).build()) {
            assertThat(auth.sessions().login(new Credentials("nobody@example.com", RawPassword.of("wrong wrong wrong wrong")),
                    "192.0.2.1")).isInstanceOf(LoginResult.InvalidCredentials.class);
        }
        assertThat(policyOfVerify).hasValue(5);
    }

    @Test
    void turnedOffAVerifyRunsInTheNormalClass() {
        try (Portcullis auth = Portcullis.builder().stores(InMemoryStores.create()).passwordHasher(new PolicyRecorder())
                .hashingIdlePriority(false).build()) {
            assertThat(auth.sessions().login(new Credentials("nobody@example.com", RawPassword.of("wrong wrong wrong wrong")),
                    "192.0.2.1")).isInstanceOf(LoginResult.InvalidCredentials.class);
        }
        assertThat(policyOfVerify).hasValue(0);
    }

    private final class PolicyRecorder implements PasswordHasher {
        private final FastHasher fast = new FastHasher();

        @Override
        public PasswordHash hash(RawPassword password) {
            return fast.hash(password);
        }

        @Override
        public boolean verify(RawPassword password, PasswordHash hash) {
            policyOfVerify.set(policyOfThisThread());
            return fast.verify(password, hash);
        }

        @Override
        public boolean supports(PasswordHash hash) {
            return fast.supports(hash);
        }
    }

    private static int policyOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
