package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The UserStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcUserStoreMariaDbTest extends UserStoreContract {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.mariaDb().migrate();
        }
        return database;
    }

    @AfterAll
    static void dropTables() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected UserStore createStore() {
        database().clean();
        return new JdbcUserStore(database.dataSource(), database.options());
    }
}
