package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.StoreException;
import dev.portcullis.testkit.ApiKeyStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ApiKeyStore contract, plus what the JDBC store adds: scopes in a child table that goes with
 * its key, and an insert that writes all or nothing. A subclass per database.
 */
abstract class JdbcApiKeyStoreTestBase extends ApiKeyStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected ApiKeyStore createStore() {
        database().clean();
        return new JdbcApiKeyStore(database().dataSource(), database().options());
    }

    @Test
    void deletingKeysDeletesTheirScopesAndCountsKeysOnly() throws SQLException {
        UserId alice = UserId.random();
        ApiKeyRecord a1 = withScopes(key(alice, "a1"), Set.of("repo:read", "repo:write"));
        ApiKeyRecord a2 = withScopes(key(alice, "a2"), Set.of("repo:read"));
        ApiKeyRecord b1 = withScopes(key(UserId.random(), "b1"), Set.of("admin"));
        Set.of(a1, a2, b1).forEach(store::insert);
        assertThat(scopeRows()).isEqualTo(4);

        assertThat(store.delete(alice, a2.id())).isTrue();
        assertThat(scopeRows()).isEqualTo(3);
        assertThat(store.deleteAllForUser(alice)).isEqualTo(1);
        assertThat(scopeRows()).isEqualTo(1);
        assertThat(store.deleteExpired(now().plus(Duration.ofDays(31)))).isEqualTo(1);
        assertThat(scopeRows()).isZero();
    }

    /** A scope longer than its column fails the second statement (MariaDB: in its default strict mode). */
    @Test
    void insertThatFailsHalfWayLeavesNoKey() throws SQLException {
        ApiKeyRecord key = withScopes(key(UserId.random(), "k"), Set.of("ok", "x".repeat(300)));

        assertThatThrownBy(() -> store.insert(key)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("JdbcApiKeyStore.insert failed: ");

        assertThat(store.findByDigest(key.digest())).isEmpty();
        assertThat(store.findAllForUser(key.userId())).isEmpty();
        assertThat(scopeRows()).isZero();
    }

    private static ApiKeyRecord withScopes(ApiKeyRecord k, Set<String> scopes) {
        return new ApiKeyRecord(k.digest(), k.id(), k.userId(), k.name(), scopes, k.createdAt(), k.expiresAt(),
                Optional.empty());
    }

    private int scopeRows() throws SQLException {
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + database().options().table("api_key_scopes"))) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
