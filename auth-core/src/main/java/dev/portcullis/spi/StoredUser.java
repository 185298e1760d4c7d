package dev.portcullis.spi;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An account as a {@link UserStore} keeps it.
 *
 * @param id            never changes
 * @param email         unique by its canonical form
 * @param passwordHash  the verifier; a value no hasher supports means "no usable password"
 * @param createdAt     when the account was registered
 * @param emailVerified whether the owner proved control of {@code email}
 * @param disabled      a disabled account cannot log in and has no sessions
 * @param roles         role names for authorisation checks; never null, may be empty
 */
public record StoredUser(
        UserId id,
        EmailAddress email,
        PasswordHash passwordHash,
        Instant createdAt,
        boolean emailVerified,
        boolean disabled,
        Set<String> roles) {

    public StoredUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        roles = Set.copyOf(roles);
    }

    public StoredUser withPasswordHash(PasswordHash hash) {
        return new StoredUser(id, email, hash, createdAt, emailVerified, disabled, roles);
    }

    public StoredUser withEmail(EmailAddress newEmail, boolean verified) {
        return new StoredUser(id, newEmail, passwordHash, createdAt, verified, disabled, roles);
    }

    public StoredUser withEmailVerified(boolean verified) {
        return new StoredUser(id, email, passwordHash, createdAt, verified, disabled, roles);
    }

    public StoredUser withDisabled(boolean value) {
        return new StoredUser(id, email, passwordHash, createdAt, emailVerified, value, roles);
    }

    public StoredUser withRoles(Set<String> value) {
        return new StoredUser(id, email, passwordHash, createdAt, emailVerified, disabled, value);
    }

    /** Never prints the hash. */
    @Override
    public String toString() {
        return "StoredUser[id=" + id + ", disabled=" + disabled + "]";
    }
}
