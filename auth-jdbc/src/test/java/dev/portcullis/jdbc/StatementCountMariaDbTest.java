package dev.portcullis.jdbc;

import org.junit.jupiter.api.AfterAll;

/**
 * Statements per store call on MariaDB (PORTCULLIS_TEST_MARIADB_URL). An upsert is two statements
 * in one transaction here ({@code INSERT ... ON DUPLICATE KEY UPDATE}, then {@code SELECT}): the
 * dialect also serves MySQL 8, which has no {@code RETURNING}.
 */
class StatementCountMariaDbTest extends StatementCountTestBase {

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

    @Override
    int upsertStatements() {
        return 2;
    }

    @Override
    int upsertCommits() {
        return 1;
    }
}
