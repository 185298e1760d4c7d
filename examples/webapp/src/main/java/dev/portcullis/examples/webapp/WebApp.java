package dev.portcullis.examples.webapp;

import dev.portcullis.PortcullisBuilder;
import dev.portcullis.LoggingAuthEventListener;
import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.token.TokenSettings;
import dev.portcullis.token.Tokens;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.jdbc.JdbcOptions;
import dev.portcullis.jdbc.JdbcPasskeyChallengeStore;
import dev.portcullis.jdbc.JdbcPasskeyStore;
import dev.portcullis.jdbc.JdbcSchema;
import dev.portcullis.jdbc.JdbcStores;
import dev.portcullis.jdbc.JdbcUserStore;
import dev.portcullis.jdbc.UserTableCheck;
import dev.portcullis.jdbc.UserTableMapping;
import dev.portcullis.mail.LoggingMailer;
import dev.portcullis.oidc.OidcLogin;
import dev.portcullis.mail.MailText;
import dev.portcullis.mail.smtp.MailTemplates;
import dev.portcullis.mail.smtp.SmtpMailer;
import dev.portcullis.mail.smtp.SmtpSettings;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.servlet.TokenBearerAuthenticator;
import dev.portcullis.spi.Mailer;
import dev.portcullis.token.AccessTokenKeys;
import dev.portcullis.token.SigningKey;
import dev.portcullis.webauthn.Webauthn4jVerifier;
import dev.portcullis.jdbc.PostgresRevocationBus;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.redis.RedisPasskeyChallengeStore;
import dev.portcullis.redis.RedisRevocationBus;
import dev.portcullis.redis.RedisStores;
import dev.portcullis.spi.RevocationBus;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.JedisPooled;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The demo application: embedded Jetty 12, pages rendered with Mustache, accounts in H2 (or
 * PostgreSQL/MariaDB through HikariCP), authentication by Portcullis. Run it with
 * {@code java -jar examples/webapp/target/webapp.jar}; see the README for the environment
 * variables.
 *
 * <p>This class wires a node: settings from the environment, the database and the stores, the
 * shared keys, the library's builder, and the lifecycle (housekeeping, close). The HTTP side, the
 * server's limits and every route, is {@code WebServer}.
 */
public final class WebApp implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebApp.class.getName());

    /** How long a node may serve a token epoch from its cache; a revocation on this node clears it at once. */
    static final Duration STRICT_EPOCH_CACHE = Duration.ofSeconds(5);

    private final Server server;
    private final HikariDataSource dataSource;
    private final Portcullis portcullis;
    private final ScheduledExecutorService housekeeping;
    /** The revocation bus and the Redis client, when there are: closed after Portcullis, before the pool. */
    private final List<AutoCloseable> shared;

    private WebApp(Server server, HikariDataSource dataSource, Portcullis portcullis, List<AutoCloseable> shared) {
        this.server = server;
        this.dataSource = dataSource;
        this.portcullis = portcullis;
        this.shared = List.copyOf(shared);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        // Expired sessions, tokens and throttle counters are dead already; this only reclaims space.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                portcullis.purgeExpired();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "housekeeping failed; will retry", e);
            }
        }, 15, 15, TimeUnit.MINUTES);
    }

    public static void main(String[] args) throws Exception {
        AppSettings settings;
        try {
            settings = AppSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClusterSettings cluster;
        try {
            cluster = ClusterSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        OidcSettings oidc;
        try {
            oidc = OidcSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        WebApp app = start(settings, cluster, oidc, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        LOG.log(System.Logger.Level.INFO, "Portcullis demo running at {0} (listening on {1}:{2}; {3})", settings.baseUrl(),
                settings.deployment().bindAddress(), String.valueOf(app.port()), settings + " " + cluster);
        app.server.join();
    }

    /** Starts one node that needs nothing from {@link ClusterSettings}; the caller closes it. */
    public static WebApp start(AppSettings settings, Clock clock) throws Exception {
        return start(settings, ClusterSettings.none(), clock);
    }

    /** Starts the app without "Sign in with …" providers; the caller closes it. */
    public static WebApp start(AppSettings settings, ClusterSettings cluster, Clock clock) throws Exception {
        return start(settings, cluster, OidcSettings.none(), clock);
    }

    /** Starts the app; the caller closes it. */
    static WebApp start(AppSettings settings, ClusterSettings cluster, OidcSettings oidc, Clock clock) throws Exception {
        Optional<Path> h2File = DataDirectory.h2File(settings.dbUrl());
        if (h2File.isPresent()) {
            DataDirectory.createOwnerOnly(h2File.get().getParent());
            if (!settings.dbUrl().toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=0")) {
                LOG.log(System.Logger.Level.WARNING, "PORTCULLIS_DB_URL is an H2 file without ;WRITE_DELAY=0: writes "
                        + "answered in the last half second are lost if the process crashes");
            }
        }
        HikariDataSource dataSource = dataSource(settings);
        List<AutoCloseable> shared = new ArrayList<>();
        try {
            new JdbcSchema(dataSource).migrate();
            if (h2File.isPresent()) {
                DataDirectory.restrictH2Files(h2File.get());
            }
            Mailer mailer = settings.smtpHost()
                    .<Mailer>map(host -> new SmtpMailer(smtp(settings, host), MailTemplates.builtIn("Portcullis demo")))
                    .orElseGet(() -> {
                        LOG.log(System.Logger.Level.WARNING, "PORTCULLIS_SMTP_HOST is not set: mails, with their secret "
                                + "links, are written to this log. Fine on a laptop; never in production.");
                        return new LoggingMailer(new MailText("Portcullis demo"));
                    });
            String origin = settings.baseUrl().toString().replaceAll("/$", "");
            String issuer = cluster.tokenIssuer().orElse(origin);
            // Secrets the nodes must agree on: the signing key from configuration (the variable, or a key
            // file every node mounts), and the CSRF and device-cookie keys configured or derived from it.
            String privateJwk = cluster.jwtKeyJson().isPresent() ? cluster.jwtKeyJson().get()
                    : SigningKeyFile.loadOrCreateJwk(settings.jwtKeyFile());
            SigningKey signingKey = SigningKey.fromPrivateJwkJson(privateJwk);
            byte[] deviceKey = cluster.deviceKey().orElseGet(() -> DerivedKeys.derive(privateJwk, DerivedKeys.DEVICE));
            byte[] csrfSecret = cluster.csrfSecret().orElseGet(() -> DerivedKeys.derive(privateJwk, DerivedKeys.CSRF));
            byte[] secondFactorKey = settings.twoFactor().key().orElseGet(() -> {
                LOG.log(System.Logger.Level.WARNING, "PORTCULLIS_SECOND_FACTOR_KEY is not set: the two-factor key is "
                        + "derived from the access-token signing key, so rotating that key voids every authenticator "
                        + "enrolment and recovery code. Set it to keep them independent.");
                return DerivedKeys.derive(privateJwk, DerivedKeys.SECOND_FACTOR);
            });
            Stores stores = stores(settings, dataSource);
            Optional<JedisPooled> redis = cluster.redisUrl().map(JedisPooled::new);
            redis.ifPresent(shared::add);
            if (redis.isPresent()) {
                stores = RedisStores.on(stores, redis.get(), cluster.redisPrefix(), SessionPolicy.defaults(),
                        ThrottlePolicy.defaults());
            }
            RevocationBus bus = switch (cluster.effectiveBus(settings.dbUrl())) {
                case POSTGRES -> {
                    PostgresRevocationBus.Builder b = PostgresRevocationBus.builder(dataSource);
                    cluster.busChannel().ifPresent(b::channel);
                    yield b.start();
                }
                case REDIS -> RedisRevocationBus.builder(redis.orElseThrow(), cluster.redisUrl().orElseThrow())
                        .channel(cluster.busChannel().orElse(cluster.redisPrefix() + "revocation")).start();
                default -> RevocationBus.none();
            };
            if (bus instanceof AutoCloseable closeable) {
                shared.add(0, closeable); // closed before the Redis client it publishes through
            }
            if (!RevocationBus.isNone(bus) && cluster.jwtKeyJson().isEmpty()
                    && settings.jwtKeyFile().equals(Path.of("./data/jwt-signing-key.json"))) {
                LOG.log(System.Logger.Level.WARNING, "several nodes: give every node the same access-token key "
                        + "(PORTCULLIS_JWT_KEY, or PORTCULLIS_JWT_KEY_FILE on a shared secret), or tokens, forms and "
                        + "device cookies from one node are refused by the others");
            }
            PortcullisBuilder builder = Portcullis.builder();
            passkeys(settings.passkeys(), dataSource, redis, cluster.redisPrefix()).ifPresent(builder::passkeys);
            hashingLimits(builder, settings.hashing());
            Portcullis portcullis = builder
                    .stores(stores)
                    .revocationBus(bus)
                    .deviceTokenKey(deviceKey)
                    .passwordHasher(settings.userTable().filter(UserTableSettings::keepLegacyHashes).isPresent()
                            ? DelegatingPasswordHasher.argon2idWithBcryptUpgrade().keepingLegacyHashes()
                            : DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                    .mail(MailSettings.of(mailer, AccountLinks.of(settings.baseUrl())))
                    .registrationMode(settings.registrationMode())
                    .tokens(TokenSettings.builder()
                            .keys(AccessTokenKeys.of(signingKey))
                            .issuer(issuer)
                            .audience(cluster.tokenAudience().orElse(issuer + "/api"))
                            // password change, reset and logout everywhere end access tokens at once,
                            // not at their expiry (issue 12, item 9); other nodes: at once through the
                            // revocation bus, else within the epoch cache's 5 s
                            .strictMode(true, STRICT_EPOCH_CACHE)
                            .build())
                    .secondFactorKey(secondFactorKey)
                    .secondFactorPolicy(settings.twoFactor().policy())
                    .serviceName("Portcullis")
                    .eventListener(new LoggingAuthEventListener())
                    .clock(clock)
                    .build();
            Tokens tokens = portcullis.tokens();
            Optional<OidcLogin> oidcLogin = oidcLogin(oidc, settings, clock,
                    oidc.stateKey().orElseGet(() -> DerivedKeys.derive(privateJwk, DerivedKeys.OIDC_STATE)));
            App app = new App(portcullis, new Pages(), true, new Flash(settings.deployment().secureCookies()),
                    new OidcSection(oidcLogin, portcullis));
            Server server = WebServer.create(settings, app, portcullis,
                    new TokenBearerAuthenticator(tokens).requiringApiKeyScope("api"), csrfSecret, oidcLogin);
            server.start();
            return new WebApp(server, dataSource, portcullis, shared);
        } catch (Exception | Error e) {
            closeAll(shared);
            dataSource.close();
            throw e;
        }
    }

    /**
     * Passkeys (WebAuthn) on webauthn4j, their credentials in the database (schema version 5), their
     * short-lived challenges there too or, with PORTCULLIS_REDIS_URL, in Redis beside the sessions;
     * the relying party from PORTCULLIS_PASSKEY_* (docs/guide/passkeys.md).
     */
    private static Optional<PasskeySettings> passkeys(AppSettings.Passkeys settings, HikariDataSource dataSource,
                                                      Optional<JedisPooled> redis, String redisPrefix) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        PasskeySettings.Builder passkeys = PasskeySettings.builder()
                .rpId(settings.rpId())
                .rpName("Portcullis demo")
                .userVerification(settings.userVerification())
                .stores(new JdbcPasskeyStore(dataSource), redis.<dev.portcullis.spi.PasskeyChallengeStore>map(
                        r -> new RedisPasskeyChallengeStore(r, redisPrefix)).orElseGet(() -> new JdbcPasskeyChallengeStore(dataSource)))
                .verifier(new Webauthn4jVerifier());
        settings.origins().forEach(passkeys::origin);
        return Optional.of(passkeys.build());
    }

    /** PORTCULLIS_HASHING_*: a limit not set keeps the library's default. */
    private static void hashingLimits(PortcullisBuilder builder, AppSettings.Hashing hashing) {
        if (!hashing.configured()) {
            return;
        }
        int concurrency = hashing.concurrency().orElse(Runtime.getRuntime().availableProcessors());
        Duration maxWait = hashing.maxWait().orElse(Duration.ofSeconds(2));
        if (hashing.maxWaiting().isPresent()) {
            builder.hashingLimits(concurrency, maxWait, hashing.maxWaiting().getAsInt());
        } else {
            builder.hashingLimits(concurrency, maxWait);
        }
    }

    /**
     * Portcullis's own tables, or an existing user table beside them (PORTCULLIS_USER_TABLE*). The
     * case-duplicate check runs first, and only their number is logged: addresses stay out of logs.
     */
    private static Stores stores(AppSettings settings, HikariDataSource dataSource) {
        Stores stores = JdbcStores.withSecondFactors(dataSource, JdbcOptions.defaults());
        if (settings.userTable().isEmpty()) {
            return stores;
        }
        UserTableMapping mapping = settings.userTable().get().mapping();
        int duplicates = new UserTableCheck(dataSource, mapping, JdbcOptions.defaults()).findCaseDuplicates().size();
        if (duplicates > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} groups of addresses in table {1} are equal once lower-cased; "
                    + "only one account of each group can sign in. List them with the query in docs/guide/jdbc.md "
                    + "(section Before the switch) and resolve them.", String.valueOf(duplicates), mapping.table());
        }
        return stores.withUsers(JdbcUserStore.mapped(dataSource, mapping, JdbcOptions.defaults()));
    }

    /** The relying party of "Sign in with …", when providers are configured (PORTCULLIS_OIDC_*). */
    private static Optional<OidcLogin> oidcLogin(OidcSettings oidc, AppSettings settings, Clock clock, byte[] stateKey) {
        if (oidc.providers().isEmpty()) {
            return Optional.empty();
        }
        OidcLogin.Builder b = OidcLogin.builder()
                .redirectBase(URI.create(settings.baseUrl().toString().replaceAll("/$", "") + "/auth/oidc/"))
                .stateKey(stateKey) // derived from the shared signing key: an attempt may return to another node
                .clock(clock);
        oidc.providers().forEach(b::provider);
        return Optional.of(b.build());
    }

    private static HikariDataSource dataSource(AppSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.dbUrl());
        config.setUsername(settings.dbUser());
        config.setPassword(settings.dbPassword());
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(3_000);
        config.setPoolName("portcullis-demo");
        return new HikariDataSource(config);
    }

    private static SmtpSettings smtp(AppSettings s, String host) {
        SmtpSettings smtp = SmtpSettings.plain(host, s.smtpPort(), s.mailFrom());
        smtp = switch (s.smtpSecurity()) {
            case "starttls" -> smtp.withSecurity(SmtpSettings.Security.STARTTLS);
            case "tls" -> smtp.withSecurity(SmtpSettings.Security.TLS);
            default -> smtp;
        };
        return s.smtpUser().isEmpty() ? smtp : smtp.withCredentials(s.smtpUser(), s.smtpPassword());
    }

    /** The port actually bound (useful with {@code PORT=0}). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public Portcullis portcullis() {
        return portcullis;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "server did not stop cleanly", e);
        }
        portcullis.close();
        closeAll(shared);
        dataSource.close();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "could not close " + r.getClass().getSimpleName(), e);
            }
        }
    }
}
