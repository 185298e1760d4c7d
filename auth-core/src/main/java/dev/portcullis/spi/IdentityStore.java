package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Persists the links between external identities ({@code issuer + subject}) and accounts. Holds no
 * business rules: the core decides when an identity may be linked or unlinked.
 *
 * <p>Implementations are thread-safe. Issuers and subjects are compared exactly (case matters).
 * Every method may throw {@link StoreException} when the underlying storage fails, and only that.
 * {@code dev.portcullis.testkit.IdentityStoreContract} checks all of this.
 */
public interface IdentityStore {

    /** The link of this identity, if any. */
    Optional<IdentityRecord> find(String issuer, String subject);

    /** Every identity linked to the account, oldest first. */
    List<IdentityRecord> findAllForUser(UserId userId);

    /**
     * Links an identity unless it is already linked (to this account or another). Must hold under
     * concurrency, also across processes sharing the storage: of any number of racing inserts of
     * one {@code (issuer, subject)} exactly one returns {@code true}.
     *
     * @return false, changing nothing, when the identity is already linked
     */
    boolean insert(IdentityRecord identity);

    /**
     * Removes the link of this identity to this account.
     *
     * @param keepLast when true, the link is removed only if the account keeps at least one other
     *                 identity; must hold under concurrency: of two racing removals of an account's
     *                 last two identities, at most one succeeds
     * @return whether a link was removed
     */
    boolean delete(UserId userId, String issuer, String subject, boolean keepLast);
}
