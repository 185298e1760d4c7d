package dev.portcullis.benchmarks;

import dev.portcullis.PortcullisBuilder;
import dev.portcullis.Portcullis;
import dev.portcullis.model.Credentials;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.session.LoginResult;
import dev.portcullis.token.Tokens;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.jdbc.JdbcAttemptStore;
import dev.portcullis.jdbc.JdbcSchema;
import dev.portcullis.jdbc.JdbcSessionStore;
import dev.portcullis.jdbc.JdbcUserStore;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import dev.portcullis.token.AccessTokenKeys;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenIssueResult;
import dev.portcullis.token.TokenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds the library the way an application would, with in-memory or H2-backed stores. */
final class Fixtures {

    static final String PASSWORD = "correct horse battery staple 42";
    static final String ISSUER = "https://bench.portcullis.dev";
    static final String AUDIENCE = "https://api.bench.portcullis.dev";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Fixtures() {
    }

    /** The stores behind one {@link Portcullis}. */
    record Stores(UserStore users, SessionStore sessions, AttemptStore attempts, HikariDataSource dataSource)
            implements AutoCloseable {
        @Override
        public void close() {
            if (dataSource != null) {
                dataSource.close();
            }
        }
    }

    static Stores memoryStores() {
        return new Stores(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore(), null);
    }

    /** A private in-memory H2 database behind a HikariCP pool, migrated to the latest schema. */
    static Stores h2Stores(int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:bench" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setPoolName("bench-h2");
        HikariDataSource ds = new HikariDataSource(config);
        new JdbcSchema(ds).migrate();
        return new Stores(new JdbcUserStore(ds), new JdbcSessionStore(ds), new JdbcAttemptStore(ds), ds);
    }

    static Portcullis portcullis(Stores stores, PasswordHasher hasher, ThrottlePolicy throttle) {
        return portcullis(stores, hasher, throttle, dev.portcullis.policy.SessionPolicy.defaults());
    }

    static Portcullis portcullis(Stores stores, PasswordHasher hasher, ThrottlePolicy throttle,
                                 dev.portcullis.policy.SessionPolicy sessionPolicy) {
        PortcullisBuilder builder = Portcullis.builder().sessionPolicy(sessionPolicy);
        // For experiments only (the published figures use the library's defaults).
        Integer concurrency = Integer.getInteger("bench.hashingConcurrency");
        Integer waiting = Integer.getInteger("bench.hashingMaxWaiting");
        if (concurrency != null || waiting != null) {
            int c = concurrency != null ? concurrency : Runtime.getRuntime().availableProcessors();
            builder.hashingLimits(c, java.time.Duration.ofSeconds(2),
                    waiting != null ? waiting : Math.max(64, 8 * c)); // the library default
        }
        if (Boolean.getBoolean("bench.normalPriority")) {
            builder.hashingIdlePriority(false); // for experiments: the hashing threads in the normal class
        }
        return builder
                .stores(dev.portcullis.Stores.of(stores.users(), stores.sessions(), stores.attempts()))
                .passwordHasher(hasher)
                .throttlePolicy(throttle)
                .serviceName("bench")
                .build();
    }

    static PasswordHasher hasher() {
        return DelegatingPasswordHasher.argon2idWithBcryptUpgrade();
    }

    /** One account per email, all with the same (already computed) hash of {@link #PASSWORD}. */
    static UserId addUser(UserStore users, String email, PasswordHash hash) {
        StoredUser user = new StoredUser(UserId.random(), EmailAddress.of(email), hash, Instant.now(), true, false,
                Set.of("user"));
        if (!users.insert(user)) {
            throw new IllegalStateException("could not insert " + email);
        }
        return user.id();
    }

    static PasswordHash hashOfPassword(PasswordHasher hasher) {
        try (RawPassword p = RawPassword.of(PASSWORD)) {
            return hasher.hash(p);
        }
    }

    static SessionToken login(Portcullis portcullis, String email) {
        LoginResult result = portcullis.sessions().login(new Credentials(email, RawPassword.of(PASSWORD)), "127.0.0.1");
        if (result instanceof LoginResult.Success s) {
            return s.session();
        }
        throw new IllegalStateException("login failed: " + result);
    }

    /** Tokens over the same user, session and attempt stores, with in-memory token stores. */
    static Tokens tokenService(Stores stores, PasswordHasher hasher, SigningKey key, int cacheSize) {
        return Portcullis.builder()
                .stores(dev.portcullis.Stores.of(stores.users(), stores.sessions(), stores.attempts())
                        .withRefreshTokens(new dev.portcullis.memory.InMemoryRefreshTokenStore())
                        .withApiKeys(new dev.portcullis.memory.InMemoryApiKeyStore()))
                .passwordHasher(hasher)
                .throttlePolicy(defaultThrottle())
                .serviceName("bench")
                .tokens(TokenSettings.builder()
                        .keys(AccessTokenKeys.of(key))
                        .issuer(ISSUER)
                        .audience(AUDIENCE)
                        .verifiedTokenCacheSize(cacheSize)
                        .build())
                .build()
                .tokens();
    }

    static String accessToken(Tokens tokens, String email) {
        TokenIssueResult result = tokens.issue(new Credentials(email, RawPassword.of(PASSWORD)), "127.0.0.1");
        if (result instanceof TokenIssueResult.Issued issued) {
            return issued.tokens().accessToken();
        }
        throw new IllegalStateException("token issue failed: " + result);
    }

    /** Default throttling, but generous enough never to refuse the benchmark's own traffic. */
    static ThrottlePolicy defaultThrottle() {
        return ThrottlePolicy.defaults();
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
