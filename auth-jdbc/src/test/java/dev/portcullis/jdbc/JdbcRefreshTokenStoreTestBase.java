package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.testkit.RefreshTokenStoreContract;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RefreshTokenStore contract, plus an interleaving that racing threads produce only sometimes,
 * forced here with a row lock held by an open transaction: use-once holds when a caller waits on
 * another node's uncommitted mark. A subclass per database.
 */
abstract class JdbcRefreshTokenStoreTestBase extends RefreshTokenStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected RefreshTokenStore createStore() {
        database().clean();
        return new JdbcRefreshTokenStore(database().dataSource(), database().options());
    }

    @Test
    void markUsedWaitingForAConcurrentMarkThatCommitsLoses() throws Exception {
        RefreshTokenRecord token = token(UserId.random(), "family");
        store.insert(token);
        Instant first = now();
        String table = database().options().table("refresh_tokens");

        boolean marked = database().callBlockedByACommit(
                "UPDATE " + table + " SET used_at = ? WHERE id = ? AND used_at IS NULL",
                List.of(first.toEpochMilli(), token.id().hex()), table, () -> store.markUsed(token.id(), first.plusSeconds(1)));

        assertThat(marked).isFalse();
        assertThat(store.find(token.id())).contains(token.withUsedAt(first));
    }
}
