package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalServiceTest {

    private static UnaryOperator<String> env(Map<String, String> values) {
        return values::get;
    }

    @Test
    void requireWhenSetThenReturnsTheValue() {
        String value = ExternalService.require(env(Map.of("X_URL", "jdbc:h2:mem:x")), "X_URL", "X", "jdbc:...");

        assertThat(value).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void requireWhenUnsetOutsideCiThenSkipsNamingTheVariable() {
        assertThatThrownBy(() -> ExternalService.require(env(Map.of()), ExternalService.POSTGRES_URL, "PostgreSQL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("PostgreSQL not configured: set PORTCULLIS_TEST_POSTGRES_URL=jdbc:postgresql://");
    }

    @Test
    void requireWhenUnsetOnCiThenFails() {
        assertThatThrownBy(() -> ExternalService.require(env(Map.of("CI", "true")), ExternalService.MARIADB_URL,
                "MariaDB", "jdbc:mariadb://127.0.0.1:3306/test?user=root"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("MariaDB not configured: set PORTCULLIS_TEST_MARIADB_URL=");
    }

    @Test
    void requireWhenBlankThenTreatedAsUnset() {
        assertThatThrownBy(() -> ExternalService.require(env(Map.of("R", " ")), "R", "Redis", "redis://127.0.0.1:6379"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void requireReachableWhenListeningThenPasses() throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            ExternalService.requireReachable(env(Map.of("CI", "true")), "Fake", "127.0.0.1", server.getLocalPort());
        }
    }

    @Test
    void requireReachableWhenNothingListensThenSkipsOrFailsOnCi() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0)) {
            port = server.getLocalPort();
        }

        assertThatThrownBy(() -> ExternalService.requireReachable(env(Map.of()), "Redis", "127.0.0.1", port))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Redis not reachable at 127.0.0.1:" + port);
        assertThatThrownBy(() -> ExternalService.requireReachable(env(Map.of("CI", "true")), "Redis", "127.0.0.1", port))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Redis not reachable at 127.0.0.1:" + port);
    }

    @Test
    void reachableUrlReadsHostAndPortFromAJdbcUrl() throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            String url = "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/test?user=postgres";

            String found = ExternalService.reachableUrl(env(Map.of("CI", "true", "PG", url)), "PostgreSQL", "PG",
                    "jdbc:postgresql://...", 5432);

            assertThat(found).isEqualTo(url);
        }
    }
}
