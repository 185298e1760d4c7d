package dev.portcullis.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.Registration;
import dev.portcullis.jdbc.PostgresRevocationBus;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.redis.RedisRevocationBus;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import redis.clients.jedis.JedisPooled;

/**
 * Cross-node revocation latency: two {@code Portcullis} nodes on shared stores, each with its own
 * connection to the bus; node B has the session cached (30 s TTL with a bus), node A logs it out,
 * and the time from the start of A's {@code logout} until B's cache eviction is measured (B's own
 * subscription stamps the arrival), then B is checked to refuse the session. 1,000 logouts per bus,
 * one after another. The buses run on the servers named by {@code PORTCULLIS_TEST_POSTGRES_URL} and
 * {@code PORTCULLIS_TEST_REDIS_URL}; a bus whose server is not configured is reported as skipped.
 */
final class RevocationLatency {

    /** Latencies in microseconds, sorted; refusals that did not hold. */
    record Result(String bus, long[] micros, int notRefused, int lost) {
        double percentileMs(double p) {
            if (micros.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * micros.length) - 1;
            return micros[Math.max(0, Math.min(micros.length - 1, i))] / 1000.0;
        }
    }

    private RevocationLatency() {
    }

    static Optional<String> postgresUrl() {
        return Optional.ofNullable(System.getenv("PORTCULLIS_TEST_POSTGRES_URL")).filter(v -> !v.isBlank());
    }

    static Optional<String> redisUrl() {
        return Optional.ofNullable(System.getenv("PORTCULLIS_TEST_REDIS_URL")).filter(v -> !v.isBlank());
    }

    static Result postgres(String jdbcUrl, int logouts) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(6);
        config.setPoolName("bench-bus");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            String channel = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            return measure("PostgreSQL LISTEN/NOTIFY", () -> PostgresRevocationBus.builder(ds).channel(channel).start(),
                    logouts);
        }
    }

    static Result redis(String url, int logouts) throws Exception {
        URI uri = URI.create(url);
        try (JedisPooled client = new JedisPooled(uri)) {
            String channel = "bench:" + UUID.randomUUID() + ":revocation";
            return measure("Redis pub/sub", () -> RedisRevocationBus.builder(client, uri).channel(channel).start(), logouts);
        }
    }

    private static <B extends RevocationBus & AutoCloseable> Result measure(String name, Supplier<B> newBus, int logouts)
            throws Exception {
        Stores stores = InMemoryStores.create();
        PasswordHasher hasher = new CheapHasher();
        try (B busA = newBus.get(); B busB = newBus.get()) {
            awaitConnected(busA);
            awaitConnected(busB);
            Map<TokenDigest, Long> arrivals = new ConcurrentHashMap<>();
            try (Portcullis a = node(stores, hasher, busA); Portcullis b = node(stores, hasher, busB)) {
                // Subscribed after node B, so that it is told after B's own eviction listener (a bus
                // calls its listeners in order, on one thread): the stamp then marks the eviction,
                // and the refusal checked below cannot race it. Subscribed first, it let B's check
                // run before B's eviction (100-350 of 1 000 sessions "still accepted").
                busB.subscribe(new RevocationListener() {
                    @Override
                    public void received(RevocationEvent event) {
                        if (event instanceof RevocationEvent.SessionEnded e) {
                            arrivals.put(e.session(), System.nanoTime());
                        }
                    }
                });
                a.accounts().register(new Registration("bench@bus.test", RawPassword.of(Fixtures.PASSWORD),
                        RawPassword.of(Fixtures.PASSWORD)), "");
                List<Long> micros = new ArrayList<>();
                int notRefused = 0;
                int lost = 0;
                for (int i = -50; i < logouts; i++) { // 50 warm-up logouts, not counted
                    SessionToken session = ((LoginResult.Success) a.sessions().login(
                            new Credentials("bench@bus.test", RawPassword.of(Fixtures.PASSWORD)), "")).session();
                    if (b.sessions().currentUser(session).isEmpty()) {
                        throw new IllegalStateException("node B does not see the new session");
                    }
                    long t0 = System.nanoTime();
                    a.sessions().logout(session, "");
                    long deadline = t0 + Duration.ofSeconds(5).toNanos();
                    Long arrived;
                    while ((arrived = arrivals.remove(session.digest())) == null && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    if (i < 0) {
                        continue;
                    }
                    if (arrived == null) {
                        lost++;
                        continue;
                    }
                    micros.add((arrived - t0) / 1_000);
                    if (b.sessions().currentUser(session).isPresent()) {
                        notRefused++;
                    }
                }
                return new Result(name, micros.stream().mapToLong(Long::longValue).sorted().toArray(), notRefused, lost);
            }
        }
    }

    private static Portcullis node(Stores stores, PasswordHasher hasher, RevocationBus bus) {
        return Portcullis.builder().stores(stores).passwordHasher(hasher).revocationBus(bus).serviceName("bench")
                .build();
    }

    private static void awaitConnected(RevocationBus bus) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!bus.connected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bus did not connect within 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** The sign-ins only make sessions to end; what is measured is the bus, so they skip Argon2id. Benchmark only. */
    static final class CheapHasher implements PasswordHasher {
        @Override
        public PasswordHash hash(RawPassword password) {
            return new PasswordHash("$bench-sha256$" + TokenDigest.of(new String(password.normalized())).hex());
        }

        @Override
        public boolean verify(RawPassword password, PasswordHash hash) {
            return hash.encoded().equals(hash(password).encoded());
        }

        @Override
        public boolean supports(PasswordHash hash) {
            return hash.encoded().startsWith("$bench-sha256$");
        }

        @Override
        public boolean needsRehash(PasswordHash hash) {
            return false;
        }
    }
}
