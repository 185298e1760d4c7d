package dev.portcullis.memory;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@link UserStore} in memory, for tests, prototypes and single-node apps that can lose their
 * accounts on restart. Thread-safe: one lock keeps the id and email indexes consistent.
 */
public final class InMemoryUserStore implements UserStore {

    private final Map<UserId, StoredUser> byId = new HashMap<>();
    private final Map<String, UserId> byEmail = new HashMap<>();

    @Override
    public synchronized Optional<StoredUser> findByEmail(EmailAddress email) {
        return Optional.ofNullable(byEmail.get(email.canonical())).map(byId::get);
    }

    @Override
    public synchronized Optional<StoredUser> findById(UserId id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized boolean insert(StoredUser user) {
        if (byId.containsKey(user.id()) || byEmail.containsKey(user.email().canonical())) {
            return false;
        }
        byId.put(user.id(), user);
        byEmail.put(user.email().canonical(), user.id());
        return true;
    }

    @Override
    public synchronized void updatePasswordHash(UserId id, PasswordHash newHash) {
        update(id, u -> u.withPasswordHash(newHash));
    }

    @Override
    public synchronized boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
        StoredUser user = byId.get(id);
        if (user == null) {
            return false;
        }
        UserId holder = byEmail.get(newEmail.canonical());
        if (holder != null && !holder.equals(id)) {
            return false;
        }
        byEmail.remove(user.email().canonical());
        byEmail.put(newEmail.canonical(), id);
        byId.put(id, user.withEmail(newEmail, verified));
        return true;
    }

    @Override
    public synchronized void markEmailVerified(UserId id) {
        update(id, u -> u.withEmailVerified(true));
    }

    @Override
    public synchronized void setDisabled(UserId id, boolean disabled) {
        update(id, u -> u.withDisabled(disabled));
    }

    @Override
    public synchronized void setRoles(UserId id, Set<String> roles) {
        update(id, u -> u.withRoles(roles));
    }

    private void update(UserId id, UnaryOperator<StoredUser> change) {
        byId.computeIfPresent(id, (k, u) -> change.apply(u));
    }
}
