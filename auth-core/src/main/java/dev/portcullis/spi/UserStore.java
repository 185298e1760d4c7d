package dev.portcullis.spi;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import java.util.Optional;
import java.util.Set;

/**
 * Persists accounts. Holds no business rules: the core decides ids, timestamps and hashes.
 *
 * <p>Implementations are thread-safe. Lookups by email use {@link EmailAddress#canonical()}.
 * Updates of an unknown id change nothing and do not fail. Every method may throw
 * {@link StoreException} when the underlying storage fails, and only that.
 * {@code dev.portcullis.testkit.UserStoreContract} checks all of this.
 */
public interface UserStore {

    /** The account whose canonical address equals {@code email}'s, disabled or not; case and Unicode form do not matter. */
    Optional<StoredUser> findByEmail(EmailAddress email);

    /** The account with this id, disabled or not. */
    Optional<StoredUser> findById(UserId id);

    /**
     * Adds an account unless its canonical email is taken. Must hold under concurrency, also
     * across processes sharing the storage: of any number of racing inserts of one email exactly
     * one returns {@code true}.
     *
     * @return false, changing nothing, when the email (or id) is already present
     */
    boolean insert(StoredUser user);

    void updatePasswordHash(UserId id, PasswordHash newHash);

    /**
     * Changes the address, keeping uniqueness.
     *
     * @return false, changing nothing, when another account holds {@code newEmail} or {@code id}
     *     is unknown
     */
    boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified);

    /** Marks the current address as verified; idempotent. */
    void markEmailVerified(UserId id);

    /** Turns the disabled flag on or off; the core revokes credentials, the store only keeps the flag. */
    void setDisabled(UserId id, boolean disabled);

    /** Replaces the roles; for an unknown id nothing is stored (no roles wait for a later account). */
    void setRoles(UserId id, Set<String> roles);
}
