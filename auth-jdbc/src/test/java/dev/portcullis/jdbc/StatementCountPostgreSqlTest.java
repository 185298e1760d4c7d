package dev.portcullis.jdbc;

import org.junit.jupiter.api.AfterAll;

/** Statements per store call on PostgreSQL (PORTCULLIS_TEST_POSTGRES_URL). */
class StatementCountPostgreSqlTest extends StatementCountTestBase {

    private static TestDatabase database;

    /** Lazily, so that a missing service skips (or on CI fails) each test visibly. */
    @Override
    TestDatabase database() {
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
    int upsertStatements() {
        return 1;
    }

    @Override
    int upsertCommits() {
        return 0;
    }
}
