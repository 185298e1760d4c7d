package dev.portcullis.jdbc;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.testkit.AttemptStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The AttemptStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcAttemptStoreMariaDbTest extends AttemptStoreContract {

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
    protected AttemptStore createStore() {
        database().clean();
        return new JdbcAttemptStore(database.dataSource(), database.options());
    }
}
