package dev.portcullis.jdbc;

import dev.portcullis.Stores;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.testkit.SeveralNodesContract;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * Three {@code Portcullis} nodes on one PostgreSQL database (PORTCULLIS_TEST_POSTGRES_URL): the JDBC
 * stores, and a {@link PostgresRevocationBus} per node on a channel of this run.
 */
class SeveralNodesPostgreSqlTest extends SeveralNodesContract {

    private static TestDatabase database;
    private final String channel = "pt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static TestDatabase database() {
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
    protected Stores sharedStores() {
        database().clean();
        return JdbcStores.create(database.dataSource(), database.options());
    }

    @Override
    protected RevocationBus newBus(Duration reconnectAfter) {
        return PostgresRevocationBus.builder(database().dataSource()).channel(channel)
                .reconnectBackoff(reconnectAfter, reconnectAfter.multipliedBy(4)).start();
    }

    @Override
    protected void dropConnection(RevocationBus bus) throws SQLException {
        PostgresRevocationBusTest.terminate(database().dataSource(), (PostgresRevocationBus) bus);
    }
}
