package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The UserStore contract on an application's own PostgreSQL table that has a column for every
 * attribute (a TIMESTAMP creation time, boolean flags, a canonical email column with a unique index).
 */
class JdbcMappedUserStorePostgreSqlTest extends UserStoreContract {

    private static TestDatabase database;
    private static String table;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.postgres().migrate();
            table = database.options().table("members");
            database.execute("CREATE TABLE \"" + table + "\" (member_id VARCHAR(64) PRIMARY KEY, "
                            + "email_address VARCHAR(320) NOT NULL, email_lower VARCHAR(320) NOT NULL, "
                            + "secret VARCHAR(1024) NOT NULL, joined TIMESTAMP NOT NULL, confirmed BOOLEAN NOT NULL, "
                            + "locked BOOLEAN NOT NULL)",
                    "CREATE UNIQUE INDEX \"" + table + "_email_uq\" ON \"" + table + "\" (email_lower)");
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
                .id("member_id").email("email_address").canonicalEmail("email_lower").passwordHash("secret")
                .createdAt("joined").emailVerified("confirmed").disabled("locked")
                .build();
        return JdbcUserStore.mapped(database.dataSource(), mapping, database.options());
    }
}
