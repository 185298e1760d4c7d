package dev.portcullis.jdbc;

import dev.portcullis.spi.PasskeyStore;
import dev.portcullis.testkit.PasskeyStoreContract;

/** The PasskeyStore contract (its 20-thread race included) on the JDBC store; a subclass per database. */
abstract class JdbcPasskeyStoreTestBase extends PasskeyStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected PasskeyStore createStore() {
        database().clean();
        return new JdbcPasskeyStore(database().dataSource(), database().options());
    }
}
