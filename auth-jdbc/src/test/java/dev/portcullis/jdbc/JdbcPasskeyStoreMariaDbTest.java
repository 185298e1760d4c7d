package dev.portcullis.jdbc;

import org.junit.jupiter.api.AfterAll;

/** The PasskeyStore contract on MariaDB (PORTCULLIS_TEST_MARIADB_URL). */
class JdbcPasskeyStoreMariaDbTest extends JdbcPasskeyStoreTestBase {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    @Override
    TestDatabase database() {
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
}
