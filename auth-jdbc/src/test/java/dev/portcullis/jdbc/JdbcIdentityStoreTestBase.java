package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.IdentityStore;
import dev.portcullis.testkit.IdentityStoreContract;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The IdentityStore contract, plus the interleaving racing threads produce only sometimes, forced
 * here with row locks held by an open transaction: a removal that waited on another node's removal
 * of the account's other identity sees it gone and keeps the last one. A subclass per database.
 */
abstract class JdbcIdentityStoreTestBase extends IdentityStoreContract {

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    @Override
    protected IdentityStore createStore() {
        database().clean();
        return new JdbcIdentityStore(database().dataSource(), database().options());
    }

    @Test
    void removalWaitingForAConcurrentRemovalKeepsTheLastIdentity() throws Exception {
        UserId alice = UserId.random();
        Instant at = Instant.ofEpochMilli(1_000);
        store.insert(new IdentityRecord("https://a.example", "1", alice, Optional.empty(), at));
        store.insert(new IdentityRecord("https://b.example", "2", alice, Optional.empty(), at));
        String table = database().options().table("identities");

        // Another node deletes identity 1 while holding the account's rows; this removal of 2 waits for it.
        boolean removed = database().callBlockedByACommit("DELETE FROM " + table + " WHERE issuer = ? AND subject = ?",
                List.of("https://a.example", "1"), table, () -> store.delete(alice, "https://b.example", "2", true));

        assertThat(removed).isFalse();
        assertThat(store.findAllForUser(alice)).extracting(IdentityRecord::subject).containsExactly("2");
    }

    @Test
    void theFullStoreSetKeepsIdentitiesInThisDatabase() {
        // JdbcStores.create is the whole set: an application needs no separate identityStore(..) call.
        dev.portcullis.Stores stores = JdbcStores.create(database().dataSource(), database().options());
        assertThat(stores.identities()).containsInstanceOf(JdbcIdentityStore.class);
        try (dev.portcullis.Portcullis auth = dev.portcullis.Portcullis.builder().stores(stores)
                .passwordHasher(dev.portcullis.password.DelegatingPasswordHasher.argon2idWithBcryptUpgrade()).build()) {
            dev.portcullis.identity.FederatedSignInResult result = auth.identities().signIn(
                    new dev.portcullis.identity.VerifiedIdentity("https://idp.example", "sub-9", "IdP",
                            Optional.of("jdbc-set@example.org"), true, java.util.Set.of(), false, List.of()), "192.0.2.1");

            assertThat(result).isInstanceOf(dev.portcullis.identity.FederatedSignInResult.SignedIn.class);
            UserId id = ((dev.portcullis.identity.FederatedSignInResult.SignedIn) result).user().id();
            assertThat(store.find("https://idp.example", "sub-9")).map(IdentityRecord::userId).contains(id);
        }
    }
}
