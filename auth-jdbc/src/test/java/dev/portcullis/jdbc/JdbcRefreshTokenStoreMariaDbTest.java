package dev.portcullis.jdbc;

import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.testkit.RefreshTokenStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The RefreshTokenStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcRefreshTokenStoreMariaDbTest extends RefreshTokenStoreContract {

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
    protected RefreshTokenStore createStore() {
        database().clean();
        return new JdbcRefreshTokenStore(database.dataSource(), database.options());
    }
}
