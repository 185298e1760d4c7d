package dev.portcullis.jdbc;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.testkit.AttemptStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AttemptStore contract on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class JdbcAttemptStorePostgreSqlTest extends AttemptStoreContract {

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
    protected AttemptStore createStore() {
        database.clean();
        return new JdbcAttemptStore(database.dataSource(), database.options());
    }
}
