package dev.portcullis.jdbc;

import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.testkit.PendingSignInStoreContract;

/** The PendingSignInStore contract (its 20-thread races included) on the JDBC store; a subclass per database. */
abstract class JdbcPendingSignInStoreTestBase extends PendingSignInStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected PendingSignInStore createStore() {
        database().clean();
        return new JdbcPendingSignInStore(database().dataSource(), database().options());
    }
}
