package dev.portcullis;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Re-authenticates a logged-in user with the current password before a sensitive change
 * (password, email): throttled like a login, one verify (against the dummy hash when the account
 * has no usable one), wrong passwords counted, a right one clears the account's counter.
 */
final class CurrentPasswordCheck {

    /** What the check found. */
    sealed interface Outcome {
        record Verified(StoredUser user) implements Outcome {
        }

        record Wrong() implements Outcome {
        }

        record NoAccount() implements Outcome {
        }

        record Throttled(Duration retryAfter) implements Outcome {
        }

        record Busy(Duration retryAfter) implements Outcome {
        }
    }

    private final UserStore users;
    private final PasswordHasher hasher;
    private final HashingGate gate;
    private final Throttle throttle;
    private final Clock clock;
    private final PasswordHash dummyHash;

    CurrentPasswordCheck(UserStore users, PasswordHasher hasher, HashingGate gate, Throttle throttle, Clock clock,
                         PasswordHash dummyHash) {
        this.users = users;
        this.hasher = hasher;
        this.gate = gate;
        this.throttle = throttle;
        this.clock = clock;
        this.dummyHash = dummyHash;
    }

    Outcome check(CurrentUser me, RawPassword password, String clientAddress) {
        Instant now = clock.instant();
        String accountKey = Throttle.accountKey(me.email());
        Optional<String> addressKey = Throttle.addressKey(clientAddress);
        Optional<Duration> wait = throttle.check(accountKey, addressKey, now).retryAfter();
        if (wait.isPresent()) {
            return new Outcome.Throttled(wait.get());
        }
        Optional<StoredUser> user = users.findById(me.id());
        if (user.isEmpty()) {
            return new Outcome.NoAccount();
        }
        boolean usable = hasher.supports(user.get().passwordHash());
        Optional<Boolean> verified = PasswordPolicy.exceedsHardCap(password) ? Optional.of(false)
                : gate.run(() -> hasher.verify(password, usable ? user.get().passwordHash() : dummyHash));
        if (verified.isEmpty()) {
            return new Outcome.Busy(gate.retryAfter());
        }
        if (!verified.get() || !usable) {
            throttle.recordFailure(accountKey, addressKey, now);
            return new Outcome.Wrong();
        }
        throttle.recordSuccess(accountKey);
        return new Outcome.Verified(user.get());
    }
}
