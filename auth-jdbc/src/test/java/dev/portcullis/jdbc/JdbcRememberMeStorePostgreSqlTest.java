package dev.portcullis.jdbc;

import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.testkit.RememberMeStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The RememberMeStore contract on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class JdbcRememberMeStorePostgreSqlTest extends RememberMeStoreContract {

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
    protected RememberMeStore createStore() {
        database().clean();
        return new JdbcRememberMeStore(database.dataSource(), database.options());
    }
}
