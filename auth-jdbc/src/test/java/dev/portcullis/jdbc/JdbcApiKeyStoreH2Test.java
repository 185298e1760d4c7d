package dev.portcullis.jdbc;

import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.testkit.ApiKeyStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The ApiKeyStore contract on H2 (in memory). */
class JdbcApiKeyStoreH2Test extends ApiKeyStoreContract {

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
    protected ApiKeyStore createStore() {
        database().clean();
        return new JdbcApiKeyStore(database.dataSource(), database.options());
    }
}
