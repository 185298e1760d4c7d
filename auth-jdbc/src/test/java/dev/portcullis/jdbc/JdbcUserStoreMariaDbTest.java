package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The UserStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcUserStoreMariaDbTest extends UserStoreContract {

    private static TestDatabase database;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.mariaDb().migrate();
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
