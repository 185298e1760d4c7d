package dev.portcullis.jdbc;

import dev.portcullis.spi.SessionStore;
import dev.portcullis.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SessionStore contract on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class JdbcSessionStorePostgreSqlTest extends SessionStoreContract {

    private static TestDatabase database;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.postgres().migrate();
    }

    @AfterAll
    static void dropTables() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected SessionStore createStore() {
        database.clean();
        return new JdbcSessionStore(database.dataSource(), database.options());
    }
}
