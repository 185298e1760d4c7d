package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.TotpEnrolment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link SecondFactorStore} in memory. Thread-safe; every conditional update is one atomic map operation. */
public final class InMemorySecondFactorStore implements SecondFactorStore {

    private final Map<UserId, TotpEnrolment> totp = new ConcurrentHashMap<>();
    private final Map<UserId, Set<TokenDigest>> recoveryCodes = new ConcurrentHashMap<>();

    @Override
    public Optional<TotpEnrolment> findTotp(UserId userId) {
        return Optional.ofNullable(totp.get(Objects.requireNonNull(userId, "userId")));
    }

    @Override
    public boolean savePendingTotp(TotpEnrolment pending) {
        if (pending.confirmed()) {
            throw new IllegalArgumentException("savePendingTotp takes an unconfirmed enrolment");
        }
        AtomicBoolean saved = new AtomicBoolean();
        totp.compute(pending.userId(), (k, old) -> {
            if (old != null && old.confirmed()) {
                return old;
            }
            saved.set(true);
            return pending;
        });
        return saved.get();
    }

    @Override
    public boolean confirmTotp(UserId userId, String sealedSecret, long step, Instant confirmedAt) {
        AtomicBoolean done = new AtomicBoolean();
        totp.computeIfPresent(userId, (k, old) -> {
            if (old.confirmed() || !old.sealedSecret().equals(sealedSecret)) {
                return old;
            }
            done.set(true);
            return new TotpEnrolment(userId, old.sealedSecret(), old.createdAt(), confirmedAt, step);
        });
        return done.get();
    }

    @Override
    public boolean advanceTotpStep(UserId userId, long step) {
        AtomicBoolean done = new AtomicBoolean();
        totp.computeIfPresent(userId, (k, old) -> {
            if (!old.confirmed() || old.lastUsedStep() >= step) {
                return old;
            }
            done.set(true);
            return new TotpEnrolment(userId, old.sealedSecret(), old.createdAt(), old.confirmedAt(), step);
        });
        return done.get();
    }

    @Override
    public boolean deleteTotp(UserId userId) {
        return totp.remove(userId) != null;
    }

    @Override
    public void replaceRecoveryCodes(UserId userId, List<TokenDigest> digests, Instant createdAt) {
        if (digests.isEmpty()) {
            recoveryCodes.remove(userId);
        } else {
            recoveryCodes.put(userId, Set.copyOf(digests));
        }
    }

    @Override
    public boolean useRecoveryCode(UserId userId, TokenDigest digest) {
        // Immutable sets swapped in one map operation: a use racing a replacement either takes a
        // code of the old set before it is replaced or finds the new set, never both.
        AtomicBoolean used = new AtomicBoolean();
        recoveryCodes.computeIfPresent(userId, (k, codes) -> {
            if (!codes.contains(digest)) {
                return codes;
            }
            used.set(true);
            Set<TokenDigest> rest = new java.util.HashSet<>(codes);
            rest.remove(digest);
            return rest.isEmpty() ? null : Set.copyOf(rest);
        });
        return used.get();
    }

    @Override
    public int countRecoveryCodes(UserId userId) {
        Set<TokenDigest> codes = recoveryCodes.get(userId);
        return codes == null ? 0 : codes.size();
    }
}
