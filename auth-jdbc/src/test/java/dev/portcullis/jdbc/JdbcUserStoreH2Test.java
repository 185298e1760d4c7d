package dev.portcullis.jdbc;

import dev.portcullis.spi.UserStore;
import dev.portcullis.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The UserStore contract on H2 (in memory). */
class JdbcUserStoreH2Test extends UserStoreContract {

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
    protected UserStore createStore() {
        database.clean();
        return new JdbcUserStore(database.dataSource(), database.options());
    }
}
