package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The UserStore contract on an application's own table in H2 that has only id, email and password
 * columns: roles, creation time and flags live in auth-jdbc's side tables, and uniqueness of the
 * address (no suitable index) comes from the email lock row.
 */
class JdbcMappedUserStoreH2Test extends UserStoreContract {

    private static TestDatabase database;
    private static String table;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.h2().migrate();
            table = database.options().table("accounts");
            database.execute("CREATE TABLE \"" + table + "\" (user_id VARCHAR(64) PRIMARY KEY, "
                    + "mail VARCHAR(320) NOT NULL, pw VARCHAR(1024) NOT NULL)");
        }
        return database;
    }

    @AfterAll
    static void dropTables() {
        if (database != null) {
            database.dropAnd("\"" + table + "\"");
        }
    }

    @Override
    protected UserStore createStore() {
        database().clean();
        database.execute("DELETE FROM \"" + table + "\"");
        UserTableMapping mapping = UserTableMapping.builder(table)
                .id("USER_ID").email("MAIL").passwordHash("PW")
                .existingUsersVerified(false)
                .build();
        return JdbcUserStore.mapped(database.dataSource(), mapping, database.options());
    }
}
