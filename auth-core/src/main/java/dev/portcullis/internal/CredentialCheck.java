package dev.portcullis.internal;

import dev.portcullis.model.Credentials;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.UserId;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.PortcullisException;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one password check, used by every path that verifies a password: form and JSON login,
 * token issuance, and re-authentication before a sensitive change. In order: validate the input,
 * pick the budget (the account's, or a trusted device's own when the sign-in presents a valid
 * device token), ask the throttle, reserve the attempt on that budget and on the client address
 * <em>before</em> verifying (inside the hashing slot, so a burst of parallel guesses gets no more
 * verifies than the policy allows; a right password takes its address reservation back), one
 * verify under the hashing gate (against the dummy hash when there is no usable one, so every
 * failure costs the same), rehash on success, counters, the owner's notice when the account starts
 * being throttled, audit.
 */
public final class CredentialCheck {

    private static final System.Logger LOG = System.getLogger(CredentialCheck.class.getName());

    /** What the check found. */
    public sealed interface Outcome {
        /** The password is right; {@code user} carries the hash now stored (after a rehash). */
        record Verified(StoredUser user) implements Outcome {
        }

        /** Unknown account, wrong password, disabled account, no usable hash: one answer. */
        record Wrong() implements Outcome {
        }

        record Invalid(FieldErrors errors) implements Outcome {
        }

        record Throttled(Duration retryAfter) implements Outcome {
        }

        record Busy(Duration retryAfter) implements Outcome {
        }

        /** Right password, but the policy requires a verified address first. */
        record EmailNotVerified(UserId userId) implements Outcome {
        }

        /** Re-authentication only: the signed-in account no longer exists. */
        record NoAccount() implements Outcome {
        }
    }

    private final UserStore users;
    private final PasswordHasher hasher;
    private final HashingGate gate;
    private final Throttle throttle;
    private final InputValidator validator;
    private final Audit audit;
    private final Clock clock;
    private final PasswordHash dummyHash;
    private final boolean requireVerifiedEmail;
    private final DeviceTrust devices;
    private final OwnerNotices notices;

    public CredentialCheck(UserStore users, PasswordHasher hasher, HashingGate gate, Throttle throttle,
                           InputValidator validator, Audit audit, Clock clock, PasswordHash dummyHash,
                           boolean requireVerifiedEmail, DeviceTrust devices, OwnerNotices notices) {
        this.users = users;
        this.hasher = hasher;
        this.gate = gate;
        this.throttle = throttle;
        this.validator = validator;
        this.audit = audit;
        this.clock = clock;
        this.dummyHash = dummyHash;
        this.requireVerifiedEmail = requireVerifiedEmail;
        this.devices = devices;
        this.notices = notices;
    }

    /** A sign-in by email and password from an untrusted client (token issuance). */
    public Outcome signIn(Credentials credentials, String clientAddress) {
        return signIn(credentials, clientAddress, Optional.empty());
    }

    /** Whether a sign-in needs a verified address ({@code Portcullis.builder().requireVerifiedEmail}). */
    public boolean requireVerifiedEmail() {
        return requireVerifiedEmail;
    }

    /**
     * A sign-in by email and password (login, token issuance). Emits the login audit events. A
     * {@code device} token that {@link DeviceTrust} accepts for this account moves the attempt from
     * the account-wide budget (untrusted clients) to the device's own; any other token counts as none.
     */
    public Outcome signIn(Credentials credentials, String clientAddress, Optional<DeviceToken> device) {
        RawPassword password = credentials.password();
        FieldErrors.Collector errors = new FieldErrors.Collector();
        validator.validate(credentials, errors);
        if (!errors.has("password") && password.isEmpty()) {
            errors.add("password", "Enter your password.");
        }
        Optional<EmailAddress> email = errors.has("email") ? Optional.empty() : EmailAddress.parse(credentials.email());
        if (!errors.has("email") && email.isEmpty()) {
            errors.add("email", "Enter a valid email address, like name@example.com.");
        }
        if (!errors.isEmpty()) {
            return new Outcome.Invalid(errors.toErrors());
        }
        Outcome outcome = verify(email.get(), () -> users.findByEmail(email.get()), password, clientAddress, device, true);
        if (outcome instanceof Outcome.Verified ok) {
            if (requireVerifiedEmail && !ok.user().emailVerified()) {
                return new Outcome.EmailNotVerified(ok.user().id());
            }
            audit.emit(AuthEventType.LOGIN_SUCCEEDED, ok.user().id(), clientAddress);
        }
        return outcome;
    }

    /**
     * Re-authentication of a signed-in user with the current password (OWASP ASVS V6), before a
     * password or address change. Counted on the same account and address budgets as a login.
     */
    public Outcome reauthenticate(UserId userId, EmailAddress email, RawPassword password, String clientAddress) {
        return verify(email, () -> users.findById(userId), password, clientAddress, Optional.empty(), false);
    }

    private Outcome verify(EmailAddress email, Supplier<Optional<StoredUser>> lookup, RawPassword password,
                           String clientAddress, Optional<DeviceToken> device, boolean signIn) {
        Instant now = clock.instant();
        // A trusted device is throttled on its own counter, with the account's schedule; the
        // account-wide counter is the budget of every client without such a token.
        Optional<String> deviceKey = device.flatMap(t -> devices.budgetKey(t, email, now));
        String budgetKey = deviceKey.orElseGet(() -> Throttle.accountKey(email));
        boolean untrusted = deviceKey.isEmpty();
        Optional<String> addressKey = Throttle.addressKey(clientAddress);
        Throttle.Check throttled = throttle.check(budgetKey, addressKey, now);
        if (throttled.retryAfter().isPresent()) {
            return throttled(signIn, clientAddress, throttled.retryAfter().get());
        }
        if (PasswordPolicy.exceedsHardCap(password)) {
            // Refused before any hashing: a 1 MiB "password" must not cost an Argon2 run.
            int failures = throttle.recordFailure(budgetKey, addressKey, now);
            notifyWhenThrottled(signIn && untrusted, failures, email);
            return wrong(signIn, Optional.empty(), clientAddress);
        }
        Optional<StoredUser> user = lookup.get();
        if (!signIn && user.isEmpty()) {
            return new Outcome.NoAccount();
        }
        boolean usable = user.isPresent() && hasher.supports(user.get().passwordHash());
        PasswordHash target = usable ? user.get().passwordHash() : dummyHash;
        // Counted before the verify, on the account and on the address, and only once a hashing
        // slot is ours, so parallel guesses that all passed the same throttle check cannot all be
        // verified.
        Optional<Attempt> result = gate.run(() -> attempt(budgetKey, throttled.accountFailures(), addressKey, now,
                password, target));
        if (result.isEmpty()) {
            return new Outcome.Busy(gate.retryAfter());
        }
        Attempt attempt = result.get();
        if (attempt.refused().isPresent()) {
            return throttled(signIn, clientAddress, attempt.refused().get());
        }
        if (!attempt.matched() || !usable || user.get().disabled()) {
            notifyWhenThrottled(signIn && untrusted, attempt.accountFailures(), email);
            return wrong(signIn, user.map(StoredUser::id), clientAddress);
        }
        StoredUser account = user.get();
        if (hasher.needsRehash(account.passwordHash())) {
            account = upgradeHash(account, password);
        }
        // Untrusted: the account's counter is cleared, as before. Trusted: only the device's, so
        // the owner's own sign-ins never hand a guesser elsewhere a fresh account-wide budget. The
        // address reservation is given back in the same store call: the address budget counts failures.
        throttle.recordSuccess(budgetKey, addressKey);
        return new Outcome.Verified(account);
    }

    /** Mails the owner when this failure started the account's delays (at most once per window). */
    private void notifyWhenThrottled(boolean accountWide, int failures, EmailAddress email) {
        if (accountWide && throttle.justStartedDelaying(failures)) {
            notices.signInThrottled(email, throttle.accountWindow());
        }
    }

    /**
     * What happened inside the hashing slot: refused by a reservation (and how long to wait), or
     * verified, with the account's count after the reservation.
     */
    private record Attempt(Optional<Duration> refused, int accountFailures, boolean matched) {
    }

    private Attempt attempt(String budgetKey, int observedFailures, Optional<String> addressKey, Instant now,
                            RawPassword password, PasswordHash target) {
        // Both reservations in one store call (one statement on H2 and PostgreSQL).
        Throttle.Reservations reserved = throttle.reserveBoth(budgetKey, observedFailures, addressKey, now);
        if (!reserved.proceed()) {
            return new Attempt(Optional.of(Duration.ofSeconds(1)), reserved.failures(), false);
        }
        if (reserved.addressRefusal().isPresent()) {
            return new Attempt(reserved.addressRefusal(), reserved.failures(), false);
        }
        return new Attempt(Optional.empty(), reserved.failures(), hasher.verify(password, target));
    }

    private Outcome throttled(boolean signIn, String clientAddress, Duration retryAfter) {
        if (signIn) {
            audit.emit(AuthEventType.LOGIN_THROTTLED, Optional.empty(), clientAddress);
        }
        return new Outcome.Throttled(retryAfter);
    }

    private Outcome wrong(boolean signIn, Optional<UserId> userId, String clientAddress) {
        if (signIn) {
            audit.emit(AuthEventType.LOGIN_FAILED, userId, clientAddress);
        }
        return new Outcome.Wrong();
    }

    /**
     * Replaces a legacy or weaker hash after a successful verify. Best effort: a store that says it
     * cannot keep the new hash ({@code canStore}) is left alone; a failure (a busy hasher, a store
     * fault) is logged; the sign-in goes on with the old hash either way, which still verifies.
     */
    private StoredUser upgradeHash(StoredUser user, RawPassword password) {
        try {
            Optional<PasswordHash> fresh = gate.run(() -> hasher.hash(password));
            // A store that cannot keep the new hash whole (a legacy column too narrow) keeps the old one.
            if (fresh.isPresent() && users.canStore(fresh.get())) {
                users.updatePasswordHash(user.id(), fresh.get());
                return user.withPasswordHash(fresh.get());
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.WARNING, "password hash upgrade failed for user " + user.id()
                    + "; keeping the old hash", e);
        }
        return user;
    }

    /**
     * Whether the account is still enabled and its password state still {@code stamp}: the re-check
     * after a credential was stored, against a password change or reset (or a disable) that ran
     * while the password was being verified. On a mismatch, a concurrent sign-in may merely have
     * upgraded the hash; then the password is verified once more against the new one.
     */
    public boolean unchanged(UserId userId, String stamp, RawPassword password) {
        Optional<StoredUser> now = users.findById(userId).filter(u -> !u.disabled());
        if (now.isEmpty()) {
            return false;
        }
        if (Secrets.constantTimeEquals(AccountFingerprint.stamp(now.get()), stamp)) {
            return true;
        }
        return hasher.supports(now.get().passwordHash())
                && gate.run(() -> hasher.verify(password, now.get().passwordHash())).orElse(false);
    }
}
