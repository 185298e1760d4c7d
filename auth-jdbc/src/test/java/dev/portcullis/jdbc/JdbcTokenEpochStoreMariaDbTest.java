package dev.portcullis.jdbc;

import dev.portcullis.spi.TokenEpochStore;
import dev.portcullis.testkit.TokenEpochStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The TokenEpochStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcTokenEpochStoreMariaDbTest extends TokenEpochStoreContract {

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
    protected TokenEpochStore createStore() {
        database().clean();
        return new JdbcTokenEpochStore(database.dataSource(), database.options());
    }
}
