package dev.portcullis.jdbc;

import org.junit.jupiter.api.AfterAll;

/** The PasskeyChallengeStore contract on H2 (in memory). */
class JdbcPasskeyChallengeStoreH2Test extends JdbcPasskeyChallengeStoreTestBase {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    @Override
    TestDatabase database() {
        if (database == null) {
            database = TestDatabase.h2().migrate();
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
