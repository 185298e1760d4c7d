package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The UserStore contract on an application's own MariaDB table with id, email, password and a
 * creation time; the flags and roles live in auth-jdbc's side tables. The table uses
 * {@code utf8mb4_bin}, as the JDBC guide recommends (docs/guide/jdbc.md, "Mapping an existing
 * user table"), so that {@code mıke@} and {@code mike@} differ.
 */
class JdbcMappedUserStoreMariaDbTest extends UserStoreContract {

    private static TestDatabase database;
    private static String table;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.mariaDb().migrate();
            table = database.options().table("app_user");
            database.execute("CREATE TABLE `" + table + "` (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320) NOT NULL, "
                    + "password VARCHAR(1024) NOT NULL, created_at DATETIME(3) NOT NULL) "
                    + "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
        return database;
    }

    @AfterAll
    static void dropTables() {
        if (database != null) {
            database.dropAnd("`" + table + "`");
        }
    }

    @Override
    protected UserStore createStore() {
        database().clean();
        database.execute("DELETE FROM `" + table + "`");
        UserTableMapping mapping = UserTableMapping.builder(table)
                .id("id").email("email").passwordHash("password").createdAt("created_at")
                .existingUsersVerified(false)
                .build();
        return JdbcUserStore.mapped(database.dataSource(), mapping, database.options());
    }
}
