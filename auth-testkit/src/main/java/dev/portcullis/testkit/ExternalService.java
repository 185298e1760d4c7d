package dev.portcullis.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;

/**
 * Finds the external services (PostgreSQL, MariaDB, Redis) that integration tests run against.
 *
 * <p>Each service is named by an environment variable. When the variable is unset or the service
 * does not answer, the calling test is <em>skipped</em> with a reason that says what to set —
 * unless {@code CI=true}, where the same situation <em>fails</em> the test, so a CI run never
 * passes by silently skipping its databases. Call these methods from a test or a
 * {@code @BeforeAll}/{@code @BeforeEach} method.
 *
 * <p>Stateless and thread-safe; reads the environment on every call.
 */
public final class ExternalService {

    /** JDBC URL of a PostgreSQL database the tests may create and drop tables in. */
    public static final String POSTGRES_URL = "PORTCULLIS_TEST_POSTGRES_URL";
    /** JDBC URL of a MariaDB (or MySQL) database the tests may create and drop tables in. */
    public static final String MARIADB_URL = "PORTCULLIS_TEST_MARIADB_URL";
    /** {@code redis://host:port} of a Redis the tests may write keys to (under unique prefixes). */
    public static final String REDIS_URL = "PORTCULLIS_TEST_REDIS_URL";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private ExternalService() {
    }

    /** The PostgreSQL JDBC URL, after checking that the server accepts TCP connections. */
    public static String postgresUrl() {
        return reachableUrl(System::getenv, "PostgreSQL", POSTGRES_URL,
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres", 5432);
    }

    /** The MariaDB JDBC URL, after checking that the server accepts TCP connections. */
    public static String mariaDbUrl() {
        return reachableUrl(System::getenv, "MariaDB", MARIADB_URL,
                "jdbc:mariadb://127.0.0.1:3306/test?user=root", 3306);
    }

    /** The Redis URL, after checking that the server accepts TCP connections. */
    public static String redisUrl() {
        return reachableUrl(System::getenv, "Redis", REDIS_URL, "redis://127.0.0.1:6379", 6379);
    }

    /**
     * The value of {@code variable}; when it is unset or blank, skips the test (fails it under
     * {@code CI=true}) with "{@code <service> not configured: set <variable>=<example>}".
     */
    public static String require(String variable, String service, String example) {
        return require(System::getenv, variable, service, example);
    }

    /**
     * Checks that {@code host:port} accepts a TCP connection within two seconds; otherwise skips
     * the test (fails it under {@code CI=true}) with a message naming the service, address and
     * cause.
     */
    public static void requireReachable(String service, String host, int port) {
        requireReachable(System::getenv, service, host, port);
    }

    static String reachableUrl(UnaryOperator<String> env, String service, String variable, String example,
                               int defaultPort) {
        String url = require(env, variable, service, example);
        URI uri = parse(url);
        if (uri == null || uri.getHost() == null) {
            Assertions.fail(service + " URL in " + variable + " is malformed: " + url + " (expected e.g. " + example + ")");
        }
        requireReachable(env, service, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
        return url;
    }

    static String require(UnaryOperator<String> env, String variable, String service, String example) {
        Objects.requireNonNull(variable, "variable");
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            unavailable(env, service + " not configured: set " + variable + "=" + example);
        }
        return value;
    }

    static void requireReachable(UnaryOperator<String> env, String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException | IllegalArgumentException e) {
            unavailable(env, service + " not reachable at " + host + ":" + port + " (" + e + ")");
        }
    }

    /** Whether this run is on CI, where every configured service must be there. */
    static boolean onCi(UnaryOperator<String> env) {
        return "true".equalsIgnoreCase(env.apply("CI"));
    }

    private static void unavailable(UnaryOperator<String> env, String reason) {
        if (onCi(env)) {
            Assertions.fail(reason + " [CI=true: external services are required]");
        }
        // Not on CI: skip the test, with the reason in the report.
        throw new org.opentest4j.TestAbortedException(reason);
    }

    private static URI parse(String url) {
        try {
            return URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
