package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The seed's table on MariaDB with {@code sql_mode=''} on every connection, where an over-long
 * value is cut short with a warning instead of an error: the mode that locked every user out when
 * a 97-character Argon2id hash went into the 60-character column.
 */
class SeedUserTableMariaDbNonStrictTest extends SeedUserTableMariaDbTest {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.isolated(JdbcDialect.MARIADB, "SET SESSION sql_mode=''");
    }

    /** Proves the mode is in force, so that the tests inherited here show what they claim. */
    @Test
    void thisServerSessionCutsOverLongValuesShortWithoutAnError() throws SQLException {
        database.execute("UPDATE `user` SET password = REPEAT('x', 97) WHERE id = 5");

        assertThat(storedHash(5)).hasSize(60);
    }
}
