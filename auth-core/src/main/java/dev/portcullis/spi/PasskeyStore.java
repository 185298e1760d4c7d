package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persists passkeys. Thread-safe. Holds no business rules: the core decides names, times and
 * counters. Fails only with {@link StoreException}.
 */
public interface PasskeyStore {

    /** Returns false and changes nothing if the credential id is taken; must hold under concurrency. */
    boolean insert(StoredPasskey passkey);

    Optional<StoredPasskey> find(String credentialId);

    /** The account's passkeys, oldest first. */
    List<StoredPasskey> findByUser(UserId userId);

    /**
     * Records a use: sets the counter to {@code newCount}, the backup state and the last-used time,
     * but only while the stored counter is still {@code expectedCount} — a conditional update, so of
     * two assertions racing with the same counter exactly one succeeds.
     *
     * @return whether this call changed the record
     */
    boolean recordUse(String credentialId, long expectedCount, long newCount, boolean backedUp, Instant usedAt);

    /** @return false when the account has no such passkey */
    boolean rename(UserId userId, String credentialId, String name);

    /** @return false when the account has no such passkey */
    boolean delete(UserId userId, String credentialId);
}
