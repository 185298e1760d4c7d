package dev.portcullis.servlet.bootstrap;

import dev.portcullis.PortcullisBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.RegistrationMode;
import dev.portcullis.jdbc.JdbcOptions;
import dev.portcullis.jdbc.JdbcSchema;
import dev.portcullis.jdbc.JdbcStores;
import dev.portcullis.mail.LoggingMailer;
import dev.portcullis.mail.MailText;
import dev.portcullis.mail.smtp.MailTemplates;
import dev.portcullis.mail.smtp.SmtpMailer;
import dev.portcullis.mail.smtp.SmtpSettings;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.policy.RoleGrants;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.servlet.AuthConfig;
import dev.portcullis.spi.Mailer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Builds everything one web app needs from its {@link BootstrapSettings}. Whatever it opened
 * (the pool, the {@link Portcullis}) is handed back to be closed on undeploy, or closed at once
 * when a later step fails.
 */
final class Bootstrap {

    private static final System.Logger LOG = System.getLogger(Bootstrap.class.getName());

    /**
     * What was built.
     *
     * @param endpointsPath where {@code AuthEndpointsServlet} goes ({@code /auth} for {@code /auth/*})
     * @param closeables    closed in reverse order on undeploy
     */
    record Built(Portcullis portcullis, AuthConfig config, String endpointsPath, List<AutoCloseable> closeables) {
    }

    private Bootstrap() {
    }

    static Built build(BootstrapSettings s, String contextPath) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            String endpoints = endpointsPath(s);
            boolean defaultPages = s.bool(BootstrapKeys.DEFAULT_PAGES, true);
            AuthConfig config = filterConfig(s, endpoints, defaultPages);

            DataSource dataSource = dataSource(s, contextPath, opened);
            JdbcOptions options = s.get(BootstrapKeys.JDBC_TABLE_PREFIX)
                    .map(prefix -> JdbcOptions.builder().tablePrefix(prefix).build()).orElse(JdbcOptions.defaults());
            if (s.bool(BootstrapKeys.MIGRATE, true)) {
                new JdbcSchema(dataSource, options).migrate();
            }
            Stores stores = JdbcStores.create(dataSource, options);

            String serviceName = s.get(BootstrapKeys.SERVICE_NAME).orElse("");
            PortcullisBuilder builder = Portcullis.builder()
                    .stores(stores)
                    .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                    .serviceName(serviceName);
            mail(s, contextPath, endpoints, defaultPages, serviceName).ifPresent(builder::mail);
            s.get(BootstrapKeys.REGISTRATION).map(Bootstrap::registrationMode).ifPresent(builder::registrationMode);
            builder.requireVerifiedEmail(s.bool(BootstrapKeys.REQUIRE_VERIFIED_EMAIL, false));
            Optional<Integer> minLength = s.integer(BootstrapKeys.PASSWORD_MIN_LENGTH, 1, PasswordPolicy.HARD_CAP);
            if (minLength.isPresent()) {
                builder.passwordPolicy(setting(BootstrapKeys.PASSWORD_MIN_LENGTH,
                        () -> PasswordPolicy.builder().minLength(minLength.get()).build()));
            }
            Optional<Duration> idle = s.duration(BootstrapKeys.SESSION_IDLE_TIMEOUT);
            Optional<Duration> absolute = s.duration(BootstrapKeys.SESSION_ABSOLUTE_TIMEOUT);
            if (idle.isPresent() || absolute.isPresent()) {
                builder.sessionPolicy(setting(BootstrapKeys.SESSION_IDLE_TIMEOUT + " / " + BootstrapKeys.SESSION_ABSOLUTE_TIMEOUT, () -> {
                    SessionPolicy.Builder policy = SessionPolicy.builder();
                    idle.ifPresent(policy::idleTimeout);
                    absolute.ifPresent(policy::absoluteTimeout);
                    return policy.build();
                }));
            }
            builder.roleGrants(roleGrants(s));
            Portcullis portcullis = setting("the Portcullis settings", builder::build);
            opened.add(portcullis);
            List<AutoCloseable> closeables = new ArrayList<>(opened);
            java.util.Collections.reverse(closeables);
            return new Built(portcullis, config, endpoints, List.copyOf(closeables));
        } catch (RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    private static String endpointsPath(BootstrapSettings s) {
        String path = s.get(BootstrapKeys.ENDPOINTS_PATH).orElse("/auth");
        if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new SettingException(BootstrapKeys.ENDPOINTS_PATH + ": a path like /auth (mapped as /auth/*), was: " + path);
        }
        return path;
    }

    /** The filter's settings through the filter's own table of names ({@link AuthConfig#fromInitParameters}). */
    private static AuthConfig filterConfig(BootstrapSettings s, String endpoints, boolean defaultPages) {
        try {
            return AuthConfig.fromInitParameters(name -> {
                if (name.equals("default-pages-path")) {
                    return defaultPages ? endpoints : null;
                }
                return BootstrapKeys.filterParameters().contains(name) ? s.get(BootstrapKeys.PREFIX + name).orElse(null) : null;
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The filter names its parameter ("init-param protect: ..."); here it is a setting with the prefix.
            throw new SettingException(e.getMessage().replaceFirst("^init-param ", BootstrapKeys.PREFIX), e);
        }
    }

    private static DataSource dataSource(BootstrapSettings s, String contextPath, List<AutoCloseable> opened) {
        Optional<String> jndi = s.get(BootstrapKeys.DATASOURCE_JNDI);
        if (jndi.isPresent()) {
            if (s.get(BootstrapKeys.JDBC_URL).isPresent()) {
                throw new SettingException("set " + BootstrapKeys.DATASOURCE_JNDI + " or " + BootstrapKeys.JDBC_URL + ", not both");
            }
            return lookup(jndi.get());
        }
        String url = s.require(BootstrapKeys.JDBC_URL, "the database the accounts live in (or set "
                + BootstrapKeys.DATASOURCE_JNDI + " to a container DataSource)");
        if (!url.startsWith("jdbc:")) {
            throw new SettingException(BootstrapKeys.JDBC_URL + ": a JDBC URL starts with jdbc:, was: " + url);
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        s.get(BootstrapKeys.JDBC_USER).ifPresent(pool::setUsername);
        s.get(BootstrapKeys.JDBC_PASSWORD).ifPresent(pool::setPassword);
        pool.setMaximumPoolSize(s.integer(BootstrapKeys.JDBC_POOL_SIZE, 1, 1000).orElse(10));
        // Named after the app, so its threads are recognisable ("portcullis-/shop housekeeper").
        pool.setPoolName("portcullis-" + (contextPath.isEmpty() ? "ROOT" : contextPath));
        try {
            HikariDataSource dataSource = new HikariDataSource(pool);
            opened.add(dataSource);
            return dataSource;
        } catch (RuntimeException e) {
            throw new SettingException(BootstrapKeys.JDBC_URL + ": cannot connect to " + redacted(url) + ": " + rootMessage(e), e);
        }
    }

    private static DataSource lookup(String name) {
        try {
            InitialContext naming = new InitialContext();
            Object found;
            try {
                found = naming.lookup(name);
            } catch (NamingException notThere) {
                if (name.startsWith("java:")) {
                    throw notThere;
                }
                found = naming.lookup("java:comp/env/" + name);
            }
            if (found instanceof DataSource ds) {
                return ds;
            }
            throw new SettingException(BootstrapKeys.DATASOURCE_JNDI + ": " + name + " is a " + found.getClass().getName()
                    + ", not a javax.sql.DataSource");
        } catch (NamingException e) {
            throw new SettingException(BootstrapKeys.DATASOURCE_JNDI + ": no DataSource named " + name + " (also tried java:comp/env/"
                    + name + "): " + e.getMessage(), e);
        }
    }

    /**
     * Mail needs the public URL for its links; without {@value BootstrapKeys#BASE_URL} the mail
     * flows are off. Without an SMTP host, mails go to the log, with a warning.
     */
    private static Optional<MailSettings> mail(BootstrapSettings s, String contextPath, String endpoints, boolean defaultPages,
                                               String serviceName) {
        Optional<String> base = s.get(BootstrapKeys.BASE_URL);
        Optional<String> host = s.get(BootstrapKeys.SMTP_HOST);
        if (base.isEmpty()) {
            if (host.isPresent()) {
                throw new SettingException(BootstrapKeys.BASE_URL + " is required with " + BootstrapKeys.SMTP_HOST
                        + ": the links in the mails point to it (e.g. https://example.com" + contextPath + ")");
            }
            LOG.log(System.Logger.Level.INFO, "Portcullis: no " + BootstrapKeys.BASE_URL + ", so email verification and "
                    + "password reset are off");
            return Optional.empty();
        }
        URI baseUrl;
        try {
            baseUrl = URI.create(base.get());
            String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
            if (!path.equals(contextPath)) {
                LOG.log(System.Logger.Level.WARNING, "Portcullis: " + BootstrapKeys.BASE_URL + " " + base.get() + " does not end with "
                        + "the context path '" + contextPath + "'; links in mails are " + base.get() + endpoints + "/...");
            }
        } catch (IllegalArgumentException e) {
            throw new SettingException(BootstrapKeys.BASE_URL + ": not a URL: " + base.get(), e);
        }
        String pages = defaultPages ? endpoints : "";
        AccountLinks links = setting(BootstrapKeys.BASE_URL, () -> new AccountLinks(baseUrl, pages + "/verify-email",
                pages + "/reset-password", pages + "/confirm-email", pages + "/login", pages + "/forgot-password"));
        Mailer mailer;
        if (host.isPresent()) {
            String security = s.get(BootstrapKeys.SMTP_SECURITY).orElse("starttls").toLowerCase(Locale.ROOT);
            SmtpSettings.Security mode = switch (security) {
                case "starttls" -> SmtpSettings.Security.STARTTLS;
                case "tls" -> SmtpSettings.Security.TLS;
                case "none" -> SmtpSettings.Security.NONE;
                default -> throw new SettingException(BootstrapKeys.SMTP_SECURITY + ": use starttls, tls or none, was: " + security);
            };
            int port = s.integer(BootstrapKeys.SMTP_PORT, 1, 65535).orElse(mode == SmtpSettings.Security.TLS ? 465 : 587);
            String from = s.require(BootstrapKeys.SMTP_FROM, "the sender of the mails, e.g. Shop <no-reply@example.com>");
            SmtpSettings smtp = setting(BootstrapKeys.SMTP_HOST, () -> new SmtpSettings(host.get(), port, mode,
                    s.get(BootstrapKeys.SMTP_USER).orElse(""), s.get(BootstrapKeys.SMTP_PASSWORD).orElse(""), from,
                    Duration.ofSeconds(10)));
            mailer = setting(BootstrapKeys.SMTP_FROM, () -> new SmtpMailer(smtp, MailTemplates.builtIn(serviceName)));
        } else {
            LOG.log(System.Logger.Level.WARNING, "Portcullis: no " + BootstrapKeys.SMTP_HOST + ", so mails (with their secret "
                    + "links) are WRITTEN TO THE LOG instead of sent. Development only: set portcullis.smtp.* before going live.");
            mailer = new LoggingMailer(new MailText(serviceName));
        }
        return Optional.of(MailSettings.of(mailer, links));
    }

    /** {@code portcullis.roles.<role>=addresses}: given at sign-in once the address is verified ({@link RoleGrants}). */
    private static RoleGrants roleGrants(BootstrapSettings s) {
        RoleGrants grants = RoleGrants.none();
        for (String key : s.keysStartingWith(BootstrapKeys.ROLES_PREFIX)) {
            String role = key.substring(BootstrapKeys.ROLES_PREFIX.length());
            RoleGrants before = grants;
            grants = setting(key, () -> before.with(role, s.list(key)));
        }
        return grants;
    }

    private static RegistrationMode registrationMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "immediate" -> RegistrationMode.IMMEDIATE;
            case "verify-first" -> RegistrationMode.VERIFY_FIRST;
            default -> throw new SettingException(BootstrapKeys.REGISTRATION + ": use immediate or verify-first, was: " + value);
        };
    }

    /** Runs a library builder step, naming the setting when it refuses the value. */
    private static <T> T setting(String key, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SettingException(key + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Portcullis: closing " + c.getClass().getSimpleName() + " failed", e);
            }
        }
    }

    private static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
