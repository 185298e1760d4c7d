package dev.portcullis.jdbc;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoredUser;
import java.util.Optional;
import java.util.Set;

/**
 * One layout of the account table behind {@link JdbcUserStore}, with its statements:
 * {@link OwnUserTable} for auth-jdbc's own table, {@link MappedUserTable} for an application's
 * table described by a {@link UserTableMapping}. Each method keeps the {@code UserStore} contract
 * of the method of the same purpose; arguments are checked for null by the store. Statements run
 * through the store's {@link Jdbc}, so a failure names {@code JdbcUserStore} and the operation.
 */
interface UserTable {

    Optional<StoredUser> findByEmail(EmailAddress email);

    Optional<StoredUser> findById(UserId id);

    boolean insert(StoredUser user);

    /** See {@code UserStore.insertReturningId}; by default {@link #insert} keeps the given id. */
    default Optional<UserId> insertReturningId(StoredUser user) {
        return insert(user) ? Optional.of(user.id()) : Optional.empty();
    }

    /** See {@code UserStore.canStore}; the own table's column holds 1024 characters. */
    default boolean canStore(PasswordHash hash) {
        return true;
    }

    void updatePasswordHash(UserId id, PasswordHash newHash);

    boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified);

    void markEmailVerified(UserId id);

    void setDisabled(UserId id, boolean disabled);

    void setRoles(UserId id, Set<String> roles);
}
