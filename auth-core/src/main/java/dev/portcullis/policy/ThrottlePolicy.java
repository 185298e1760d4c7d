package dev.portcullis.policy;

import java.time.Duration;

/**
 * Login throttling. Per account (keyed by canonical email, whether or not the account exists):
 * the first {@code freeFailures} failures cost nothing, then each further one must wait
 * {@code baseDelay × 2^(n − freeFailures)}, capped at {@code maxDelay}; at {@code lockThreshold}
 * failures within {@code accountWindow} the account is locked until that window ends (NIST SP
 * 800-63B-4 allows at most 100 consecutive failures). A success resets the account's count.
 *
 * <p>Per client address: at most {@code addressLimit} failures per {@code addressWindow}, generous
 * enough for an office behind one NAT while stopping a single source from spraying many accounts.
 * Both the account's and the address's attempt are counted before the password is verified, so
 * the limits hold however many guesses arrive in parallel; a right password takes its address
 * count back (the address budget counts failures only).
 *
 * <p>Per client address, too: at most {@code registrationLimit} registrations per
 * {@code registrationWindow} and at most {@code mailRequestLimit} requests that may send a mail
 * (verification resend, password reset request, email change request) per
 * {@code mailRequestWindow}, every request counted whatever its outcome; beyond that the answer is
 * "throttled" (HTTP 429 with Retry-After). This bounds how fast one source can create accounts,
 * probe which addresses are taken ({@code RegistrationMode.IMMEDIATE} answers "email taken"; only
 * {@code VERIFY_FIRST} answers the same for taken and new addresses) and make the service mail
 * third parties. Requests without a client address are not counted.
 *
 * <p>Trusted devices (OWASP device cookies): every password sign-in hands the browser a signed
 * device token, valid for {@code deviceTokenLifetime}. A sign-in that presents a valid one for the
 * account it signs in to is counted on that device's own counter, with the same schedule as an
 * account (free failures, doubling delays, the lock), instead of the account-wide counter, which
 * is then the budget of untrusted clients only. So wrong guesses from anywhere else can keep the
 * account throttled for every browser without a device token (distributed guessing stays
 * stopped) while the owner's browser signs in at once; a device with too many failures of its own
 * is throttled in turn. A sign-in on a trusted device clears its device counter, not the
 * account-wide one, so the owner's sign-ins do not hand the guesser a fresh budget. When an
 * account's untrusted count reaches the first delay, the owner is mailed (at most once per
 * {@code accountWindow}).
 */
public final class ThrottlePolicy {

    private final int freeFailures;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final int lockThreshold;
    private final Duration accountWindow;
    private final int addressLimit;
    private final Duration addressWindow;
    private final int registrationLimit;
    private final Duration registrationWindow;
    private final int mailRequestLimit;
    private final Duration mailRequestWindow;
    private final Duration deviceTokenLifetime;

    private ThrottlePolicy(Builder b) {
        this.freeFailures = b.freeFailures;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.lockThreshold = b.lockThreshold;
        this.accountWindow = b.accountWindow;
        this.addressLimit = b.addressLimit;
        this.addressWindow = b.addressWindow;
        this.registrationLimit = b.registrationLimit;
        this.registrationWindow = b.registrationWindow;
        this.mailRequestLimit = b.mailRequestLimit;
        this.mailRequestWindow = b.mailRequestWindow;
        this.deviceTokenLifetime = b.deviceTokenLifetime;
    }

    /**
     * 5 free, 1 s doubling to 15 min, lock at 100 per 24 h (per account for untrusted clients, per
     * trusted device); 100 failures, 10 registrations and 10 mail requests per 15 min per address;
     * device tokens trusted for 180 days.
     */
    public static ThrottlePolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int freeFailures() {
        return freeFailures;
    }

    public Duration baseDelay() {
        return baseDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public int lockThreshold() {
        return lockThreshold;
    }

    public Duration accountWindow() {
        return accountWindow;
    }

    public int addressLimit() {
        return addressLimit;
    }

    public Duration addressWindow() {
        return addressWindow;
    }

    public int registrationLimit() {
        return registrationLimit;
    }

    public Duration registrationWindow() {
        return registrationWindow;
    }

    public int mailRequestLimit() {
        return mailRequestLimit;
    }

    public Duration mailRequestWindow() {
        return mailRequestWindow;
    }

    /** How long a device token is trusted after its sign-in (the device cookie's Max-Age). */
    public Duration deviceTokenLifetime() {
        return deviceTokenLifetime;
    }

    /** The longest of the windows: counters older than this are stale. */
    public Duration longestWindow() {
        Duration longest = accountWindow;
        for (Duration d : new Duration[] {addressWindow, registrationWindow, mailRequestWindow}) {
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    /** How long an account must wait after its {@code failures}-th failure (before any lock). */
    public Duration delayAfter(int failures) {
        if (failures < freeFailures) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - freeFailures, 30);
        Duration delay = baseDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    public static final class Builder {
        private int freeFailures = 5;
        private Duration baseDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofMinutes(15);
        private int lockThreshold = 100;
        private Duration accountWindow = Duration.ofHours(24);
        private int addressLimit = 100;
        private Duration addressWindow = Duration.ofMinutes(15);
        private int registrationLimit = 10;
        private Duration registrationWindow = Duration.ofMinutes(15);
        private int mailRequestLimit = 10;
        private Duration mailRequestWindow = Duration.ofMinutes(15);
        private Duration deviceTokenLifetime = Duration.ofDays(180);

        private Builder() {
        }

        public Builder freeFailures(int value) {
            if (value < 1 || value > 20) {
                throw new IllegalArgumentException("freeFailures must be 1..20, was " + value);
            }
            this.freeFailures = value;
            return this;
        }

        public Builder baseDelay(Duration value) {
            this.baseDelay = SessionPolicy.Builder.positive(value, "baseDelay");
            return this;
        }

        public Builder maxDelay(Duration value) {
            this.maxDelay = SessionPolicy.Builder.positive(value, "maxDelay");
            return this;
        }

        /** At most 100 (NIST). */
        public Builder lockThreshold(int value) {
            if (value < 2 || value > 100) {
                throw new IllegalArgumentException("lockThreshold must be 2..100, was " + value);
            }
            this.lockThreshold = value;
            return this;
        }

        public Builder accountWindow(Duration value) {
            this.accountWindow = SessionPolicy.Builder.positive(value, "accountWindow");
            return this;
        }

        public Builder addressLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("addressLimit must be positive, was " + value);
            }
            this.addressLimit = value;
            return this;
        }

        public Builder addressWindow(Duration value) {
            this.addressWindow = SessionPolicy.Builder.positive(value, "addressWindow");
            return this;
        }

        /** Registrations per client address and {@link #registrationWindow}; default 10. */
        public Builder registrationLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("registrationLimit must be positive, was " + value);
            }
            this.registrationLimit = value;
            return this;
        }

        /** Default 15 minutes. */
        public Builder registrationWindow(Duration value) {
            this.registrationWindow = SessionPolicy.Builder.positive(value, "registrationWindow");
            return this;
        }

        /** Requests that may send a mail, per client address and {@link #mailRequestWindow}; default 10. */
        public Builder mailRequestLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("mailRequestLimit must be positive, was " + value);
            }
            this.mailRequestLimit = value;
            return this;
        }

        /** Default 15 minutes. */
        public Builder mailRequestWindow(Duration value) {
            this.mailRequestWindow = SessionPolicy.Builder.positive(value, "mailRequestWindow");
            return this;
        }

        /** Default 180 days; each password sign-in issues a new token. */
        public Builder deviceTokenLifetime(Duration value) {
            this.deviceTokenLifetime = SessionPolicy.Builder.positive(value, "deviceTokenLifetime");
            return this;
        }

        public ThrottlePolicy build() {
            if (freeFailures >= lockThreshold) {
                throw new IllegalStateException("freeFailures must be below lockThreshold");
            }
            if (baseDelay.compareTo(maxDelay) > 0) {
                throw new IllegalStateException("baseDelay must not exceed maxDelay");
            }
            return new ThrottlePolicy(this);
        }
    }
}
