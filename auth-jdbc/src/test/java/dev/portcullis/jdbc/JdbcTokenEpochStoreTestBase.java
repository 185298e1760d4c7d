package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.TokenEpochStore;
import dev.portcullis.testkit.TokenEpochStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TokenEpochStore contract, plus an interleaving that racing threads produce only sometimes,
 * forced here with a row lock held by an open transaction: advance reads its own increment after
 * waiting on another node's. A subclass per database.
 */
abstract class JdbcTokenEpochStoreTestBase extends TokenEpochStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected TokenEpochStore createStore() {
        database().clean();
        return new JdbcTokenEpochStore(database().dataSource(), database().options());
    }

    @Test
    void advanceWaitingForAConcurrentAdvanceCountsBoth() throws Exception {
        UserId user = UserId.random();
        store.advance(user);
        String table = database().options().table("token_epochs");

        int advanced = database().callBlockedByACommit("UPDATE " + table + " SET epoch = epoch + 1 WHERE user_id = ?",
                List.of(user.value()), table, () -> store.advance(user));

        assertThat(advanced).isEqualTo(3);
        assertThat(store.current(user)).isEqualTo(3);
    }
}
