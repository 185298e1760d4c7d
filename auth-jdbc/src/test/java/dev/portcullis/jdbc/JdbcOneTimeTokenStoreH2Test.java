package dev.portcullis.jdbc;

import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.testkit.OneTimeTokenStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The OneTimeTokenStore contract on H2 (in memory). */
class JdbcOneTimeTokenStoreH2Test extends OneTimeTokenStoreContract {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.h2().migrate();
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
