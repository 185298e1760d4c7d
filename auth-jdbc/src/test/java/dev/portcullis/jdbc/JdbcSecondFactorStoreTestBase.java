package dev.portcullis.jdbc;

import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.testkit.SecondFactorStoreContract;

/** The SecondFactorStore contract (its 20-thread races included) on the JDBC store; a subclass per database. */
abstract class JdbcSecondFactorStoreTestBase extends SecondFactorStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected SecondFactorStore createStore() {
        database().clean();
        return new JdbcSecondFactorStore(database().dataSource(), database().options());
    }
}
