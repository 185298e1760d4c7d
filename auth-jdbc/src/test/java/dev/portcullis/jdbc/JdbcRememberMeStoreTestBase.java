package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.testkit.RememberMeStoreContract;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RememberMeStore contract, plus an interleaving that racing threads produce only sometimes,
 * forced here with a row lock held by an open transaction: markReplaced holds when a caller waits
 * on another node's uncommitted mark. A subclass per database.
 */
abstract class JdbcRememberMeStoreTestBase extends RememberMeStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected RememberMeStore createStore() {
        database().clean();
        return new JdbcRememberMeStore(database().dataSource(), database().options());
    }

    @Test
    void markReplacedWaitingForAConcurrentMarkThatCommitsLoses() throws Exception {
        RememberMeRecord token = token(UserId.random(), "series");
        store.insert(token);
        Instant first = clock.instant();
        String table = database().options().table("remember_me");

        boolean marked = database().callBlockedByACommit(
                "UPDATE " + table + " SET replaced_at = ? WHERE selector = ? AND replaced_at IS NULL",
                List.of(first.toEpochMilli(), token.selector()), table,
                () -> store.markReplaced(token.selector(), first.plusSeconds(1)));

        assertThat(marked).isFalse();
        assertThat(store.find(token.selector())).contains(token.withReplacedAt(first));
    }
}
