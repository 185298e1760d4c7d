package dev.portcullis.jdbc;

import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.testkit.RefreshTokenStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The RefreshTokenStore contract on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class JdbcRefreshTokenStorePostgreSqlTest extends RefreshTokenStoreContract {

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
    protected RefreshTokenStore createStore() {
        database().clean();
        return new JdbcRefreshTokenStore(database.dataSource(), database.options());
    }
}
