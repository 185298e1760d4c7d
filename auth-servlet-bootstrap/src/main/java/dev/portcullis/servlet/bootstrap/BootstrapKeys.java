package dev.portcullis.servlet.bootstrap;

import dev.portcullis.servlet.AuthConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The names of the settings {@link PortcullisInitializer} reads, each a {@code web.xml}
 * context-param or a line of the properties file named by {@value #CONFIG}. Besides these, every
 * {@link AuthConfig#INIT_PARAMETERS filter init-param} is accepted with the {@code portcullis.}
 * prefix ({@code portcullis.protect}, {@code portcullis.public-paths}, {@code portcullis.csrf-origin-only-paths},
 * …), and {@code portcullis.roles.<role>} lists the addresses given that role. The servlet guide
 * has the table with defaults.
 */
public final class BootstrapKeys {

    /** Every key starts with this. */
    public static final String PREFIX = "portcullis.";
    /** Path of a properties file: a web-app resource ({@code /WEB-INF/portcullis.properties}) or a file. */
    public static final String CONFIG = "portcullis.config";
    /** JNDI name of a container-managed {@code DataSource} ({@code jdbc/auth} or {@code java:comp/env/jdbc/auth}). */
    public static final String DATASOURCE_JNDI = "portcullis.datasource.jndi";
    /** JDBC URL of a database pooled with HikariCP (when no JNDI name is given). */
    public static final String JDBC_URL = "portcullis.jdbc.url";
    public static final String JDBC_USER = "portcullis.jdbc.user";
    public static final String JDBC_PASSWORD = "portcullis.jdbc.password";
    /** Largest pool size; default 10. */
    public static final String JDBC_POOL_SIZE = "portcullis.jdbc.pool-size";
    /** Table name prefix; default {@code portcullis_}. */
    public static final String JDBC_TABLE_PREFIX = "portcullis.jdbc.table-prefix";
    /** Create or upgrade the tables at start; default true. */
    public static final String MIGRATE = "portcullis.migrate";
    /** The app's public URL, context path included ({@code https://example.com/shop}); turns on the mail flows. */
    public static final String BASE_URL = "portcullis.base-url";
    /** Name of the app in mails and the password check. */
    public static final String SERVICE_NAME = "portcullis.service-name";
    public static final String SMTP_HOST = "portcullis.smtp.host";
    /** Default 587. */
    public static final String SMTP_PORT = "portcullis.smtp.port";
    /** {@code starttls} (default), {@code tls} or {@code none}. */
    public static final String SMTP_SECURITY = "portcullis.smtp.security";
    public static final String SMTP_USER = "portcullis.smtp.user";
    public static final String SMTP_PASSWORD = "portcullis.smtp.password";
    /** Sender address; required with {@value #SMTP_HOST}. */
    public static final String SMTP_FROM = "portcullis.smtp.from";
    /** Where the endpoints servlet is mapped; default {@code /auth} (mapping {@code /auth/*}). */
    public static final String ENDPOINTS_PATH = "portcullis.endpoints-path";
    /** Serve the built-in login, register, logout … pages; default true. */
    public static final String DEFAULT_PAGES = "portcullis.default-pages";
    /** {@code immediate} (default) or {@code verify-first}. */
    public static final String REGISTRATION = "portcullis.registration";
    /** Refuse login until the address is verified; default false. */
    public static final String REQUIRE_VERIFIED_EMAIL = "portcullis.require-verified-email";
    /** Shortest password; default the core's policy (8). */
    public static final String PASSWORD_MIN_LENGTH = "portcullis.password.min-length";
    /** Session idle timeout: seconds or ISO-8601 ({@code PT30M}). */
    public static final String SESSION_IDLE_TIMEOUT = "portcullis.session.idle-timeout";
    /** Session absolute lifetime: seconds or ISO-8601 ({@code PT12H}). */
    public static final String SESSION_ABSOLUTE_TIMEOUT = "portcullis.session.absolute-timeout";
    /**
     * {@code portcullis.roles.admin=ann@example.com, bob@example.com}: the role is added at sign-in
     * once the account's address is verified (so the mail flows must be on, {@value #BASE_URL}).
     */
    public static final String ROLES_PREFIX = "portcullis.roles.";

    private static final List<String> OWN = List.of(CONFIG, DATASOURCE_JNDI, JDBC_URL, JDBC_USER, JDBC_PASSWORD, JDBC_POOL_SIZE,
            JDBC_TABLE_PREFIX, MIGRATE, BASE_URL, SERVICE_NAME, SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD,
            SMTP_FROM, ENDPOINTS_PATH, DEFAULT_PAGES, REGISTRATION, REQUIRE_VERIFIED_EMAIL, PASSWORD_MIN_LENGTH,
            SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT);

    /** Filter init-params the bootstrap sets itself, so not accepted as settings. */
    private static final Set<String> FILTER_OWNED = Set.of("portcullis-attribute", "default-pages-path");

    private BootstrapKeys() {
    }

    /** The filter init-params accepted with the prefix. */
    static List<String> filterParameters() {
        return AuthConfig.INIT_PARAMETERS.stream().filter(n -> !FILTER_OWNED.contains(n)).sorted().toList();
    }

    static boolean isKnown(String key) {
        return OWN.contains(key) || (key.startsWith(ROLES_PREFIX) && key.length() > ROLES_PREFIX.length())
                || (key.startsWith(PREFIX) && filterParameters().contains(key.substring(PREFIX.length())));
    }

    static Set<String> known() {
        return new TreeSet<>(Stream.concat(Stream.concat(OWN.stream(), Stream.of(ROLES_PREFIX + "<role>")),
                filterParameters().stream().map(n -> PREFIX + n)).toList());
    }
}
