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
import dev.portcullis.oidc.servlet.OidcServlet;
import dev.portcullis.mail.MailText;
import dev.portcullis.mail.smtp.MailTemplates;
import dev.portcullis.mail.smtp.SmtpMailer;
import dev.portcullis.mail.smtp.SmtpSettings;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.servlet.AuthConfig;
import dev.portcullis.servlet.AuthFilter;
import dev.portcullis.servlet.BearerAuthenticator;
import dev.portcullis.servlet.JwksServlet;
import dev.portcullis.servlet.PasskeyEndpointsServlet;
import dev.portcullis.servlet.TokenBearerAuthenticator;
import dev.portcullis.servlet.TokenEndpointsServlet;
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
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The demo application: embedded Jetty 12, pages rendered with Mustache, accounts in H2 (or
 * PostgreSQL/MariaDB through HikariCP), authentication by Portcullis. Run it with
 * {@code java -jar examples/webapp/target/webapp.jar}; see the README for the environment
 * variables.
 */
public final class WebApp implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebApp.class.getName());

    /**
     * How long a connection may stay silent: a body that stops arriving, a keep-alive connection
     * between requests, a client that stops reading the answer. Jetty's default is 30 s; a stalled
     * body then ended in a 500 after 30 s (issue 12, item 12).
     */
    static final long IDLE_TIMEOUT_MILLIS = 5_000;
    /** The largest request body accepted; the app's forms and JSON requests are a few KiB at most. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** A body must arrive at least this fast, on average from its first byte (see {@link BufferedBodies}). */
    static final long MIN_BODY_BYTES_PER_SECOND = 256;
    /** Open connections per client address (browsers open at most 6 per host). */
    static final int MAX_CONNECTIONS_PER_CLIENT = 32;
    /** Open connections in all; beyond it Jetty stops accepting until some close, instead of running out of descriptors. */
    static final int MAX_CONNECTIONS = 2_000;
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
            Server server = server(settings, app, portcullis, new TokenBearerAuthenticator(tokens).requiringApiKeyScope("api"),
                    csrfSecret, oidcLogin);
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

    private static Server server(AppSettings settings, App app, Portcullis portcullis, BearerAuthenticator bearer,
                                 byte[] csrfSecret, Optional<OidcLogin> oidcLogin) {
        AppSettings.Deployment deployment = settings.deployment();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(deployment.bindAddress());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.addBean(new ConnectionsPerClient(MAX_CONNECTIONS_PER_CLIENT, deployment.trustedProxies()));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        ErrorPages errorPages = new ErrorPages(app.pages());
        server.setErrorHandler(new ErrorPages.InServer(errorPages));

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setErrorHandler(new ErrorPages.InContext(errorPages));

        AuthConfig.Builder auth = AuthConfig.builder()
                .protect("/profile/*")
                .protect("/password")
                .protect("/email")
                .protect("/mfa")
                .protect("/mfa/*")
                .protect("/api/me")
                .protect("/reauth")
                .apiPath("/api/*")
                .publicPath("/api/tokens/*")
                .tokenEndpointPath("/api/tokens/*")
                .afterLogoutPath("/")
                .bearerAuthenticator(bearer)
                .allowedOrigin(settings.origin())
                .csrfSecret(csrfSecret); // the same on every node, so a form served by one posts to another
        deployment.allowedOrigins().forEach(auth::allowedOrigin);
        if (!deployment.trustedProxies().isEmpty()) {
            auth.trustedProxies(deployment.trustedProxies());
            deployment.clientAddressHeader().ifPresent(auth::clientAddressHeader);
        }
        if (deployment.secureCookies()) {
            auth.cookieSecurity(AuthConfig.CookieSecurity.ALWAYS);
        }
        // Linking from the settings page posts a form that is answered with a redirect to the provider.
        List<String> providerOrigins = oidcLogin.map(l -> l.providers().stream()
                .map(p -> p.issuer().getScheme() + "://" + p.issuer().getRawAuthority()).distinct().toList()).orElse(List.of());
        // Async-supported filters, and the pages that check a password: a sign-in answered "busy" keeps
        // its connection for the Retry-After delay without a thread (WebAuth.holdIfBusy).
        FilterHolder headers = new FilterHolder(new SecurityHeadersFilter(providerOrigins));
        headers.setAsyncSupported(true);
        context.addFilter(headers, "/*", EnumSet.allOf(DispatcherType.class));
        FilterHolder authFilter = new FilterHolder(new AuthFilter(portcullis, auth.build()));
        authFilter.setAsyncSupported(true);
        context.addFilter(authFilter, "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));

        Map<String, HttpServlet> pages = Map.of(
                "/register", new RegisterServlet(app),
                "/login", new LoginServlet(app),
                "/password", new PasswordServlet(app));
        pages.forEach((path, servlet) -> context.addServlet(holdingBusy(servlet), path));
        context.addServlet(new ServletHolder(new LogoutServlet(app)), "/logout");
        ServletHolder mail = holdingBusy(new AccountMailServlet(app));
        for (String path : new String[] {"/verify-email", "/resend-verification", "/forgot-password", "/reset-password",
                "/email", "/confirm-email"}) {
            context.addServlet(mail, path);
        }
        ServletHolder signInSteps = new ServletHolder(new SignInStepsServlet(app));
        for (String path : new String[] {SignInStepsServlet.CODE_PATH, SignInStepsServlet.ENROL_PATH}) {
            context.addServlet(signInSteps, path);
        }
        ServletHolder factors = new ServletHolder(new TwoFactorServlet(app));
        for (String path : new String[] {"/mfa/totp", "/mfa/totp/remove", "/mfa/recovery-codes"}) {
            context.addServlet(factors, path);
        }
        context.addServlet(holdingBusy(new ReauthServlet(app)), ReauthServlet.PATH);
        ServletHolder profile = new ServletHolder(new ProfileServlet(app));
        for (String path : new String[] {"/profile", "/profile/logout-others", "/profile/tokens", "/profile/tokens/revoke"}) {
            context.addServlet(profile, path);
        }
        // Passkeys: the library's JSON endpoints and script, the /mfa page and its rename/delete forms.
        context.addServlet(new ServletHolder(new PasskeyEndpointsServlet()), "/auth/passkeys/*");
        MfaServlet mfa = new MfaServlet(app);
        context.addServlet(new ServletHolder(mfa), "/mfa");
        context.addServlet(new ServletHolder(new PasskeysServlet(app, mfa)), "/mfa/passkeys/*");
        oidcLogin.ifPresent(login -> context.addServlet(new ServletHolder(
                new OidcServlet(login, portcullis.identities(), "/", "/profile")), "/auth/oidc/*"));
        context.addServlet(new ServletHolder(new ApiMeServlet()), "/api/me");
        context.addServlet(new ServletHolder(new TokenEndpointsServlet(app.tokens())), "/api/tokens/*");
        context.addServlet(new ServletHolder(new JwksServlet(app.tokens())), "/.well-known/jwks.json");

        ServletHolder statics = new ServletHolder("static", DefaultServlet.class);
        statics.setInitParameter("dirAllowed", "false");
        statics.setInitParameter("pathInfoOnly", "true");
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("static"));
        context.addServlet(statics, "/static/*");
        context.addServlet(new ServletHolder(new HomeServlet(app)), "/");
        server.setHandler(new RefuseTrace(new BufferedBodies(context, MAX_BODY_BYTES, MIN_BODY_BYTES_PER_SECOND)));
        return server;
    }

    /** A page whose password check may be answered "busy", which it holds asynchronously. */
    private static ServletHolder holdingBusy(HttpServlet servlet) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        return holder;
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
