package dev.portcullis.benchmarks;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.SessionRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code Sessions.currentUser} for a valid session, as the filter calls it on every request:
 * the session lookup, the account lookup and the expiry checks (the touch write happens at most
 * once per {@code touchInterval}, so not in the steady state measured here). 1 000 users with one
 * session each; the H2 variant goes through HikariCP to an in-memory database. With the default
 * policy the lookups are answered by the per-node lookup cache (1 s TTL, all 1 000 sessions fit);
 * the "-nocache" variants turn it off and read both stores on every call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SessionLookupBenchmark {

    private static final int USERS = 1_000;

    /** "-nocache": {@code SessionPolicy.lookupCacheTtl(ZERO)}, every call reads both stores. */
    @Param({"memory", "h2", "memory-nocache", "h2-nocache"})
    public String store;

    private Fixtures.Stores stores;
    private Portcullis portcullis;
    private SessionToken[] tokens;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        stores = store.startsWith("h2") ? Fixtures.h2Stores(4) : Fixtures.memoryStores();
        PasswordHasher hasher = Fixtures.hasher();
        portcullis = Fixtures.portcullis(stores, hasher, Fixtures.defaultThrottle(), store.endsWith("-nocache")
                ? dev.portcullis.policy.SessionPolicy.builder().lookupCacheTtl(java.time.Duration.ZERO).build()
                : dev.portcullis.policy.SessionPolicy.defaults());
        PasswordHash hash = Fixtures.hashOfPassword(hasher);
        SecureRandom random = new SecureRandom();
        tokens = new SessionToken[USERS];
        Instant now = Instant.now();
        for (int i = 0; i < USERS; i++) {
            UserId id = Fixtures.addUser(stores.users(), "user" + i + "@bench.test", hash);
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            tokens[i] = new SessionToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            stores.sessions().insert(new SessionRecord(tokens[i].digest(), id, now, now, "127.0.0.1"));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stores.close();
    }

    @Benchmark
    public Optional<CurrentUser> currentUser() {
        SessionToken token = tokens[next];
        next = next + 1 == USERS ? 0 : next + 1;
        Optional<CurrentUser> user = portcullis.sessions().currentUser(token);
        if (user.isEmpty()) {
            throw new IllegalStateException("session lost");
        }
        return user;
    }
}
