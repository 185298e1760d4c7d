package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.TokenPurpose;
import dev.portcullis.testkit.OneTimeTokenStoreContract;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The OneTimeTokenStore contract, plus an interleaving that racing threads produce only sometimes,
 * forced here with a row lock held by an open transaction: the database decides the winner, also
 * when the loser has already read the token. A subclass per database.
 */
abstract class JdbcOneTimeTokenStoreTestBase extends OneTimeTokenStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected OneTimeTokenStore createStore() {
        database().clean();
        return new JdbcOneTimeTokenStore(database().dataSource(), database().options());
    }

    @Test
    void consumeThatFindsTheTokenAndThenLosesItToACommittedDeleteGetsNothing() throws Exception {
        OneTimeTokenRecord token = token(UserId.random(), TokenPurpose.RESET_PASSWORD);
        store.insert(token);
        String table = database().options().table("one_time_tokens");

        Optional<OneTimeTokenRecord> consumed = database().callBlockedByACommit("DELETE FROM " + table + " WHERE id = ?",
                List.of(token.id().hex()), table, () -> store.consume(token.id(), TokenPurpose.RESET_PASSWORD));

        assertThat(consumed).isEmpty();
        assertThat(store.find(token.id())).isEmpty();
    }
}
