package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's table on MariaDB in its default strict mode: an AUTO_INCREMENT key, the server's
 * default case-insensitive collation; the lookup index is a generated column's, because MariaDB
 * does not use an index for {@code LOWER(email) = ?}.
 */
class SeedUserTableMariaDbTest extends SeedUserTableTestBase {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.isolated(JdbcDialect.MARIADB, null);
    }

    @Override
    String createSeedTable() {
        return "CREATE TABLE `user` (id INTEGER AUTO_INCREMENT PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE, "
                + "password VARCHAR(60) NOT NULL)";
    }

    @Override
    UserTableMapping applyLookupIndexAdvice() {
        database.execute("ALTER TABLE `user` ADD email_lower VARCHAR(120) COLLATE utf8mb4_bin AS (LOWER(email)) VIRTUAL, "
                + "ADD UNIQUE INDEX user_email_lower (email_lower)", "ANALYZE TABLE `user`");
        return UserTableMapping.builder("user").id("id", UserTableMapping.IdType.GENERATED_INTEGER)
                .email("email").generatedCanonicalEmail("email_lower").passwordHash("password").build();
    }

    @Override
    List<String> explain(String sql, String parameter) throws SQLException {
        return rows("EXPLAIN " + sql, parameter);
    }

    @Override
    void assertUsesTheLookupIndex(List<String> plan) {
        String user = plan.stream().filter(line -> line.contains("table=u |")).findFirst().orElseThrow();
        assertThat(user).as(String.join("\n", plan)).contains("key=user_email_lower")
                .doesNotContain("type=ALL").doesNotContain("type=index |");
    }

    @Override
    String cutShortTrigger() {
        return "CREATE TRIGGER cut_hash BEFORE UPDATE ON `user` FOR EACH ROW SET NEW.password = LEFT(NEW.password, 60)";
    }

    /** Why the guide's earlier advice failed: with the generated column indexed, LOWER(email) = ? still reads every row. */
    @Test
    void lowerOfTheEmailColumnIsAFullScanEvenWithTheGeneratedColumnIndexed() throws SQLException {
        widen();
        for (int i = 0; i < 300; i++) {
            insertAsTheOldAppDoes("filler" + i + "@Example.com", bcryptHashes.get(0));
        }
        applyLookupIndexAdvice();

        List<String> plan = explain("SELECT u.id FROM `user` u WHERE LOWER(u.email) = ?", "filler150@example.com");

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0)).containsPattern("type=(ALL|index) ");
    }
}
