package dev.portcullis.jdbc;

import dev.portcullis.spi.SessionStore;
import dev.portcullis.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The SessionStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcSessionStoreMariaDbTest extends SessionStoreContract {

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
    protected SessionStore createStore() {
        database().clean();
        return new JdbcSessionStore(database.dataSource(), database.options());
    }
}
