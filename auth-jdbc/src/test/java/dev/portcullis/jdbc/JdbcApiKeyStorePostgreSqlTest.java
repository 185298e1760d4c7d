package dev.portcullis.jdbc;

import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.testkit.ApiKeyStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The ApiKeyStore contract on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class JdbcApiKeyStorePostgreSqlTest extends ApiKeyStoreContract {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    private static TestDatabase database() {
        if (database == null) {
            database = TestDatabase.postgres().migrate();
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
