package dev.portcullis.jdbc;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.testkit.AttemptStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The AttemptStore contract on H2 (in memory). */
class JdbcAttemptStoreH2Test extends AttemptStoreContract {

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
    protected AttemptStore createStore() {
        database().clean();
        return new JdbcAttemptStore(database.dataSource(), database.options());
    }
}
