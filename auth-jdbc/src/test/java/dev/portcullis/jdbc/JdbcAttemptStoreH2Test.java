package dev.portcullis.jdbc;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.testkit.AttemptStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AttemptStore contract on H2 (in memory). */
class JdbcAttemptStoreH2Test extends AttemptStoreContract {

    private static TestDatabase database;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.h2().migrate();
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
