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

    /**
     * {@link #insert(StoredUser)}, answering the id the account is stored under. A store whose
     * database assigns the ids (an existing table's auto-increment key) ignores {@code user.id()}
     * and answers the assigned one; the core then uses that id for the new account. The same
     * guarantees as {@code insert} hold. The default calls {@code insert} and answers
     * {@code user.id()}.
     *
     * @return the stored id; empty, changing nothing, when the email (or id) is already present
     */
    default Optional<UserId> insertReturningId(StoredUser user) {
        return insert(user) ? Optional.of(user.id()) : Optional.empty();
    }

    /**
     * Replaces the hash. A store that cannot keep {@code newHash} intact (a column too narrow for
     * it) must throw {@link StoreException} and keep the old hash, never store a cut-off one.
     */
    void updatePasswordHash(UserId id, PasswordHash newHash);

    /**
     * Whether {@link #updatePasswordHash} would keep {@code hash} intact. The core asks before it
     * upgrades a hash on sign-in and keeps the old one (which still verifies) when the answer is
     * no, e.g. while an existing table's hash column is too narrow for Argon2id. Defaults to
     * {@code true}.
     */
    default boolean canStore(PasswordHash hash) {
        return true;
    }

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
