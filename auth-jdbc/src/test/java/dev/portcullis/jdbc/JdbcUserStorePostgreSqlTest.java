package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The UserStore contract on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class JdbcUserStorePostgreSqlTest extends UserStoreContract {

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
    protected UserStore createStore() {
        database.clean();
        return new JdbcUserStore(database.dataSource(), database.options());
    }
}
