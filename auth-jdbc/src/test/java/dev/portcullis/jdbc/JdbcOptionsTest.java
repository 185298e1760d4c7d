package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcOptionsTest {

    @Test
    void defaultsUseThePortcullisPrefixAndDetectTheDialect() {
        JdbcOptions options = JdbcOptions.defaults();

        assertThat(options.tablePrefix()).isEqualTo("portcullis_");
        assertThat(options.dialect()).isEmpty();
        assertThat(options.queryTimeout()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc_", "app-auth_", "x; DROP TABLE users; --", "\"quoted\"", "schema.table_",
            "abcdefghijklmnopqrstuvwxyz012345"})
    void tablePrefixWhenNotAPlainIdentifierThenRejected(String prefix) {
        assertThatThrownBy(() -> JdbcOptions.builder().tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app_", "_x", "Auth", "a1_"})
    void tablePrefixWhenPlainIdentifierThenAccepted(String prefix) {
        assertThat(JdbcOptions.builder().tablePrefix(prefix).build().tablePrefix()).isEqualTo(prefix);
    }

    @Test
    void queryTimeoutBelowOneSecondIsRejected() {
        assertThatThrownBy(() -> JdbcOptions.builder().queryTimeout(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mappingNamesMustBePlainIdentifiers() {
        assertThatThrownBy(() -> UserTableMapping.builder("user; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> UserTableMapping.builder("user").passwordHash("pw\"--"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passwordHash");
    }

    @Test
    void dialectFromProductName() {
        assertThat(JdbcDialect.fromProductName("H2")).isEqualTo(JdbcDialect.H2);
        assertThat(JdbcDialect.fromProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.fromProductName("MariaDB")).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.fromProductName("MySQL")).isEqualTo(JdbcDialect.MARIADB);
        assertThatThrownBy(() -> JdbcDialect.fromProductName("Oracle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Oracle");
    }

    @Test
    void scriptSplitsIntoStatementsWithoutComments() {
        assertThat(JdbcSchema.statements("-- a; comment\nCREATE TABLE a (x INT);\n\n-- b\nCREATE TABLE b (y INT);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }
}
