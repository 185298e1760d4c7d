package dev.portcullis.jdbc;

import dev.portcullis.spi.PasskeyChallengeStore;
import dev.portcullis.testkit.PasskeyChallengeStoreContract;

/** The PasskeyChallengeStore contract (its 20-thread race included) on the JDBC store; a subclass per database. */
abstract class JdbcPasskeyChallengeStoreTestBase extends PasskeyChallengeStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected PasskeyChallengeStore createStore() {
        database().clean();
        return new JdbcPasskeyChallengeStore(database().dataSource(), database().options());
    }
}
