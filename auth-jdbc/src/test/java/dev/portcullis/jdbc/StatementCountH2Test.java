package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.spi.StoredUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Statements per store call on H2 (in memory). */
class StatementCountH2Test extends StatementCountTestBase {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    @Override
    TestDatabase database() {
        if (database == null) {
            database = TestDatabase.h2().migrate();
        }
        return database;
    }

    @AfterAll
    static void dropTables() {
        if (database != null) {
            database.dropAnd("\"" + database.options().table("accounts") + "\"");
        }
    }

    @Test
    void mappedUsersFindByEmailIsOneStatementWithTheSideTables() {
        String table = database().options().table("accounts");
        database().execute("CREATE TABLE IF NOT EXISTS \"" + table + "\" (user_id VARCHAR(64) PRIMARY KEY, "
                + "mail VARCHAR(320) NOT NULL, pw VARCHAR(1024) NOT NULL)", "DELETE FROM \"" + table + "\"");
        UserTableMapping mapping = UserTableMapping.builder(table).id("USER_ID").email("MAIL").passwordHash("PW").build();
        StoredUser user = user();
        JdbcUserStore.mapped(database().dataSource(), mapping, database().options()).insert(user);

        JdbcUserStore mapped = JdbcUserStore.mapped(counting, mapping, database().options());
        // The first use reads the hash column's width once (one SELECT ... WHERE 1 = 0); not part of a lookup.
        assertThat(mapped.canStore(user.passwordHash())).isTrue();
        assertThat(counting.statements()).singleElement().asString().endsWith("WHERE 1 = 0");
        counting.reset();

        assertThat(mapped.findByEmail(user.email()))
                .hasValueSatisfying(found -> assertThat(found.roles()).containsExactlyInAnyOrder("a", "b"));

        assertThat(counting.count()).isEqualTo(1);
    }

    @Override
    int upsertStatements() {
        return 1;
    }

    @Override
    int upsertCommits() {
        return 0;
    }
}
