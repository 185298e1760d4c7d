package dev.portcullis.jdbc;

import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.testkit.OneTimeTokenStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The OneTimeTokenStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcOneTimeTokenStoreMariaDbTest extends OneTimeTokenStoreContract {

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
    protected OneTimeTokenStore createStore() {
        database().clean();
        return new JdbcOneTimeTokenStore(database.dataSource(), database.options());
    }
}
