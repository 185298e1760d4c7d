package dev.portcullis.internal;

import dev.portcullis.policy.ThrottlePolicy;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies a {@link ThrottlePolicy} to counters in an {@link AttemptStore}. */
public final class Throttle {

    private final AttemptStore store;
    private final ThrottlePolicy policy;

    public Throttle(AttemptStore store, ThrottlePolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** Keys are digests so the attempt store never holds an email address or IP in clear. */
    public static String accountKey(EmailAddress email) {
        return "acct:" + TokenDigest.of("acct:" + email.canonical()).hex();
    }

    public static Optional<String> addressKey(String clientAddress) {
        return addressKey("addr", clientAddress);
    }

    /** The key of one of an address's budgets ({@code kind}); empty without an address. */
    static Optional<String> addressKey(String kind, String clientAddress) {
        return clientAddress == null || clientAddress.isBlank() ? Optional.empty()
                : Optional.of(kind + ":" + TokenDigest.of(kind + ":" + network(clientAddress.strip())).hex());
    }

    /**
     * IPv6 clients are keyed by their /64: one subscriber usually holds a whole /64 and could
     * otherwise rotate through addresses to escape the per-address limit.
     */
    public static String network(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (a.indexOf(':') < 0 || !a.matches("[0-9A-Fa-f:.]{2,45}")) {
            return a;
        }
        try {
            // A literal containing ':' is parsed, never looked up.
            byte[] bytes = java.net.InetAddress.getByName(a).getAddress();
            if (bytes.length != 16) {
                return a;
            }
            return "v6/64:" + java.util.HexFormat.of().formatHex(bytes, 0, 8);
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }

    /**
     * The throttle's answer before an attempt, and the count it was based on: the account's, or a
     * trusted device's when the attempt is counted on the device (see {@link DeviceTrust}).
     */
    public record Check(Optional<Duration> retryAfter, int accountFailures) {
    }

    /**
     * How long the caller must wait before another attempt (empty when it may try now).
     *
     * @param accountKey the account's key, or a trusted device's: both follow the account schedule
     */
    public Check check(String accountKey, Optional<String> addressKey, Instant now) {
        Duration wait = Duration.ZERO;
        // Both counters in one read: this runs before every password verify.
        Map<String, Attempts> found = store.findAll(addressKey.isPresent()
                ? List.of(accountKey, addressKey.get()) : List.of(accountKey));
        Optional<Attempts> account = Optional.ofNullable(found.get(accountKey))
                .filter(a -> a.windowStart().isAfter(now.minus(policy.accountWindow())));
        if (account.isPresent()) {
            Attempts a = account.get();
            Instant until = a.failures() >= policy.lockThreshold()
                    ? a.windowStart().plus(policy.accountWindow())
                    : a.lastFailureAt().plus(policy.delayAfter(a.failures()));
            wait = max(wait, Duration.between(now, until));
        }
        if (addressKey.isPresent()) {
            Optional<Attempts> address = Optional.ofNullable(found.get(addressKey.get()))
                    .filter(a -> a.windowStart().isAfter(now.minus(policy.addressWindow())));
            if (address.isPresent() && address.get().failures() >= policy.addressLimit()) {
                wait = max(wait, Duration.between(now, address.get().windowStart().plus(policy.addressWindow())));
            }
        }
        return new Check(wait.isZero() || wait.isNegative() ? Optional.empty() : Optional.of(roundUpToSecond(wait)),
                account.map(Attempts::failures).orElse(0));
    }

    /**
     * Whether a reserved attempt may go on to its verify, and the account's count with it.
     *
     * @param failures the count after this attempt was added
     */
    public record Reservation(boolean proceed, int failures) {
    }

    /**
     * Counts an attempt on the account before its verify. Within the free failures anything goes;
     * beyond them only the attempt that moves the count from what {@link #check} saw proceeds —
     * parallel attempts that passed the same check lose (their attempt still counts).
     */
    public Reservation reserve(String accountKey, int observedFailures, Instant now) {
        int failures = store.recordFailure(accountKey, now, resetBefore(policy.accountWindow(), now)).failures();
        return new Reservation(failures <= policy.freeFailures() || failures == observedFailures + 1, failures);
    }

    /**
     * The reservations of one attempt on the account's budget and on its client address's, made
     * together.
     *
     * @param proceed       whether the account's reservation lets it go on (see {@link #reserve})
     * @param failures      the account's count after this attempt
     * @param addressRefusal when the address budget has no room: how long the address must wait
     */
    public record Reservations(boolean proceed, int failures, Optional<Duration> addressRefusal) {
    }

    /**
     * {@link #reserve} and {@link #reserveAddress} in one store call ({@link
     * AttemptStore#recordFailures}: one statement on H2 and PostgreSQL, one script on Redis), with
     * the same outcome: when the account's reservation refuses, the address reservation is given
     * back at once, so that, as before, a refused attempt counts on the account only.
     */
    public Reservations reserveBoth(String accountKey, int observedFailures, Optional<String> addressKey, Instant now) {
        if (addressKey.isEmpty()) {
            Reservation account = reserve(accountKey, observedFailures, now);
            return new Reservations(account.proceed(), account.failures(), Optional.empty());
        }
        String address = addressKey.get();
        Map<String, Attempts> counted = store.recordFailures(Map.of(
                accountKey, resetBefore(policy.accountWindow(), now),
                address, resetBefore(policy.addressWindow(), now)), now);
        int failures = counted.get(accountKey).failures();
        if (!(failures <= policy.freeFailures() || failures == observedFailures + 1)) {
            store.release(address);
            return new Reservations(false, failures, Optional.empty());
        }
        Attempts a = counted.get(address);
        Optional<Duration> refusal = a.failures() <= policy.addressLimit() ? Optional.empty()
                : Optional.of(roundUpToSecond(Duration.between(now, a.windowStart().plus(policy.addressWindow()))));
        return new Reservations(true, failures, refusal);
    }

    /**
     * A successful sign-in, in one store call ({@link AttemptStore#clearAndRelease}): the account's
     * (or trusted device's) counter cleared and the address reservation given back.
     */
    public void recordSuccess(String accountKey, Optional<String> addressKey) {
        store.clearAndRelease(accountKey, addressKey.map(List::of).orElse(List.of()));
    }

    /**
     * Counts an attempt on its client address before its verify, as {@link #reserve} does for the
     * account, so the address limit holds however many guesses run in parallel: of those that
     * passed the same {@link #check}, only as many as the limit has room for get a verify.
     *
     * @return empty when the attempt may go on; otherwise how long the address must wait
     */
    public Optional<Duration> reserveAddress(Optional<String> addressKey, Instant now) {
        return spend(addressKey, policy.addressLimit(), policy.addressWindow(), now);
    }

    /** Takes back the address reservation of an attempt whose password was right: the address budget counts failures. */
    public void releaseAddress(Optional<String> addressKey) {
        addressKey.ifPresent(store::release);
    }

    /**
     * Whether an account's count has just reached the point from which its attempts are delayed:
     * the moment to tell the owner, once per window.
     */
    public boolean justStartedDelaying(int failures) {
        return failures == policy.freeFailures();
    }

    public Duration accountWindow() {
        return policy.accountWindow();
    }

    /** @return the account's count after this failure */
    public int recordFailure(String accountKey, Optional<String> addressKey, Instant now) {
        if (addressKey.isEmpty()) {
            return store.recordFailure(accountKey, now, resetBefore(policy.accountWindow(), now)).failures();
        }
        return store.recordFailures(Map.of(accountKey, resetBefore(policy.accountWindow(), now),
                addressKey.get(), resetBefore(policy.addressWindow(), now)), now).get(accountKey).failures();
    }

    /**
     * Counts a registration on its client address's budget, whatever its outcome (a taken address
     * is as informative to a prober as a new one).
     *
     * @return empty when it may go on; otherwise how long the address must wait
     */
    public Optional<Duration> spendRegistration(String clientAddress, Instant now) {
        return spend(addressKey("reg", clientAddress), policy.registrationLimit(), policy.registrationWindow(), now);
    }

    /**
     * Counts a request that may send a mail (verification resend, reset request, email change
     * request) on its client address's budget, whether or not a mail goes out.
     *
     * @return empty when it may go on; otherwise how long the address must wait
     */
    public Optional<Duration> spendMailRequest(String clientAddress, Instant now) {
        return spend(addressKey("mailreq", clientAddress), policy.mailRequestLimit(), policy.mailRequestWindow(), now);
    }

    private Optional<Duration> spend(Optional<String> key, int limit, Duration window, Instant now) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Attempts a = store.recordFailure(key.get(), now, resetBefore(window, now));
        return a.failures() <= limit ? Optional.empty()
                : Optional.of(roundUpToSecond(Duration.between(now, a.windowStart().plus(window))));
    }

    public void recordSuccess(String accountKey) {
        store.clear(accountKey);
    }

    public int purge(Instant now) {
        return store.deleteOlderThan(now.minus(policy.longestWindow()));
    }

    /**
     * The {@code resetBefore} that makes a store start a new window exactly when {@link #check} no
     * longer counts the old one (its start is not after {@code now - window}); a millisecond above
     * {@code now - window}, the resolution stores keep instants in.
     */
    static Instant resetBefore(Duration window, Instant now) {
        return now.minus(window).plusMillis(1);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration roundUpToSecond(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
