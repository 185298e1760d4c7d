package dev.portcullis;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Applies a {@link ThrottlePolicy} to counters in an {@link AttemptStore}. */
final class Throttle {

    private final AttemptStore store;
    private final ThrottlePolicy policy;

    Throttle(AttemptStore store, ThrottlePolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** Keys are digests so the attempt store never holds an email address or IP in clear. */
    static String accountKey(EmailAddress email) {
        return "acct:" + TokenDigest.of("acct:" + email.canonical()).hex();
    }

    static Optional<String> addressKey(String clientAddress) {
        return clientAddress == null || clientAddress.isBlank() ? Optional.empty()
                : Optional.of("addr:" + TokenDigest.of("addr:" + clientAddress.strip()).hex());
    }

    /** How long the caller must wait before another attempt; empty when it may try now. */
    Optional<Duration> check(String accountKey, Optional<String> addressKey, Instant now) {
        Duration wait = Duration.ZERO;
        Optional<Attempts> account = store.find(accountKey)
                .filter(a -> a.windowStart().isAfter(now.minus(policy.accountWindow())));
        if (account.isPresent()) {
            Attempts a = account.get();
            Instant until = a.failures() >= policy.lockThreshold()
                    ? a.windowStart().plus(policy.accountWindow())
                    : a.lastFailureAt().plus(policy.delayAfter(a.failures()));
            wait = max(wait, Duration.between(now, until));
        }
        if (addressKey.isPresent()) {
            Optional<Attempts> address = store.find(addressKey.get())
                    .filter(a -> a.windowStart().isAfter(now.minus(policy.addressWindow())));
            if (address.isPresent() && address.get().failures() >= policy.addressLimit()) {
                wait = max(wait, Duration.between(now, address.get().windowStart().plus(policy.addressWindow())));
            }
        }
        return wait.isZero() || wait.isNegative() ? Optional.empty() : Optional.of(roundUpToSecond(wait));
    }

    void recordFailure(String accountKey, Optional<String> addressKey, Instant now) {
        store.recordFailure(accountKey, now, now.minus(policy.accountWindow()));
        addressKey.ifPresent(k -> store.recordFailure(k, now, now.minus(policy.addressWindow())));
    }

    void recordSuccess(String accountKey) {
        store.clear(accountKey);
    }

    int purge(Instant now) {
        Duration longest = max(policy.accountWindow(), policy.addressWindow());
        return store.deleteOlderThan(now.minus(longest));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration roundUpToSecond(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
