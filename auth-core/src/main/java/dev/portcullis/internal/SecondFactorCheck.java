package dev.portcullis.internal;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.policy.RoleGrants;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TotpEnrolment;
import dev.portcullis.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The one second-factor check, used by every path that takes a code: completing a pending sign-in,
 * the token endpoint's {@code code}, step-up re-authentication, confirming an enrolment. And what
 * those paths share: whether an account needs a factor, pending sign-ins (hashed handle, bound to
 * the account's password state, 5 minutes, at most 5 codes), recovery codes, and the freshness of a
 * session's proofs (step-up).
 *
 * <p>Codes have a throttle of their own, apart from the password's: per account (or per trusted
 * device, as for passwords) and per client address, in the same attempt store under other keys,
 * with the password schedule (free failures, doubling delays, the lock). Every attempt is reserved
 * before the code is checked, so parallel guesses get no more checks than the schedule allows. A
 * right code clears the account's (or device's) count and gives the address reservation back.
 */
public final class SecondFactorCheck {

    private static final System.Logger LOG = System.getLogger(SecondFactorCheck.class.getName());

    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(5);
    public static final int MAX_CODES_PER_HANDLE = 5;
    public static final int RECOVERY_CODES = 10;
    /** Longer input is refused before anything else looks at it. */
    private static final int MAX_INPUT = 64;
    public static final String ENTER_CODE = "Enter the 6-digit code from your authenticator app, or a recovery code.";

    /** Whether an account's password is enough. */
    public enum Requirement {
        /** No second factor: sign in. */
        NONE,
        /** A confirmed authenticator app: ask for a code. */
        CODE,
        /** The policy requires a factor for the account's roles and it has none: only enrolment. */
        ENROLMENT
    }

    /** A parsed code: six ASCII digits, or a recovery code normalised to ten upper-case base32 letters. */
    public sealed interface Code {
        record Totp(String digits) implements Code {
            @Override
            public String toString() {
                return "Totp[redacted]";
            }
        }

        record Recovery(String normalised) implements Code {
            @Override
            public String toString() {
                return "Recovery[redacted]";
            }
        }
    }

    /** What a code check found. */
    public sealed interface CodeOutcome {
        /** Right. {@code recoveryCode}: a recovery code was used up ({@code recoveryCodesLeft} remain). */
        record Verified(boolean recoveryCode, int recoveryCodesLeft) implements CodeOutcome {
        }

        /** Wrong, replayed, or for a factor the account does not have. */
        record Wrong() implements CodeOutcome {
        }

        /** Not shaped like a code (empty, too long, not ASCII digits, …); nothing was counted. */
        record Invalid(FieldErrors errors) implements CodeOutcome {
        }

        record Throttled(Duration retryAfter) implements CodeOutcome {
        }

        /** The pending sign-in has had its codes (or is gone): a new password sign-in is needed. */
        record HandleSpent() implements CodeOutcome {
        }
    }

    /** A live pending sign-in and its account. */
    public record Pending(StoredUser user, PendingSignIn record) {
    }

    /** How fresh a session's proofs are (step-up). */
    public record Freshness(Optional<CurrentUser> user, boolean fresh, boolean fullSignIn) {
        public boolean authenticated() {
            return user.isPresent();
        }
    }

    private final Optional<SecondFactorStore> store;
    private final Optional<PendingSignInStore> pending;
    private final Optional<SecretBox> box;
    private final SecondFactorPolicy policy;
    private final UserStore users;
    private final SessionStore sessions;
    private final SessionResolver resolver;
    private final Throttle throttle;
    private final Audit audit;
    private final Clock clock;
    private final Secrets secrets;
    private final DeviceTrust devices;
    private final OwnerNotices notices;
    private final RoleGrants grants;

    public SecondFactorCheck(Optional<SecondFactorStore> store, Optional<PendingSignInStore> pending,
                             Optional<SecretBox> box, SecondFactorPolicy policy, UserStore users, SessionStore sessions,
                             SessionResolver resolver, Throttle throttle, Audit audit, Clock clock, Secrets secrets,
                             DeviceTrust devices, OwnerNotices notices, RoleGrants grants) {
        this.store = store;
        this.pending = pending;
        this.box = box;
        this.policy = policy;
        this.users = users;
        this.sessions = sessions;
        this.resolver = resolver;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
        this.devices = devices;
        this.notices = notices;
        this.grants = grants;
    }

    /** Whether two-factor sign-in is configured (stores and key). */
    public boolean enabled() {
        return store.isPresent() && pending.isPresent() && box.isPresent();
    }

    public SecondFactorPolicy policy() {
        return policy;
    }

    public SecondFactorStore store() {
        return store.orElseThrow(SecondFactorCheck::notConfigured);
    }

    public SecretBox box() {
        return box.orElseThrow(SecondFactorCheck::notConfigured);
    }

    public static IllegalStateException notConfigured() {
        return new IllegalStateException("second factors are not configured: give Portcullis.builder() "
                + "stores.withSecondFactors(..) and secondFactorKey(..)");
    }

    /** The user's confirmed authenticator app, if any (none when second factors are off). */
    public Optional<TotpEnrolment> confirmedTotp(UserId userId) {
        return enabled() ? store.get().findTotp(userId).filter(TotpEnrolment::confirmed) : Optional.empty();
    }

    public boolean enrolled(UserId userId) {
        return confirmedTotp(userId).isPresent();
    }

    public Requirement requirement(StoredUser user) {
        if (!enabled()) {
            return Requirement.NONE;
        }
        if (enrolled(user.id())) {
            return Requirement.CODE;
        }
        // The roles this sign-in will have: configured grants are stored only when it completes.
        Set<String> roles = grants.missing(user.email(), user.emailVerified(), user.roles()).orElse(user.roles());
        return policy.requiredFor(roles) ? Requirement.ENROLMENT : Requirement.NONE;
    }

    /** Starts a pending sign-in for a user whose password was just verified; returns the handle. */
    public String beginPending(StoredUser user, PendingSignIn.Purpose purpose, String clientAddress) {
        String handle = secrets.next();
        Instant now = clock.instant();
        pending.orElseThrow(SecondFactorCheck::notConfigured).insert(new PendingSignIn(TokenDigest.of(handle),
                user.id(), AccountFingerprint.stamp(user), purpose, now, now.plus(PENDING_LIFETIME), 0));
        audit.emit(AuthEventType.SECOND_FACTOR_REQUIRED, user.id(), clientAddress);
        return handle;
    }

    /**
     * The pending sign-in of {@code handle} when it exists, has this purpose, has not expired nor
     * used up its codes, and its account is enabled with the password state it was issued under.
     * Anything else is empty (one answer for every cause).
     */
    public Optional<Pending> findPending(String handle, PendingSignIn.Purpose purpose) {
        if (!enabled()) {
            return Optional.empty();
        }
        Optional<TokenDigest> id = SessionToken.parse(handle).map(SessionToken::digest);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<PendingSignIn> found = pending.get().find(id.get());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PendingSignIn p = found.get();
        if (!clock.instant().isBefore(p.expiresAt()) || p.attempts() >= MAX_CODES_PER_HANDLE) {
            pending.get().consume(p.id());
            return Optional.empty();
        }
        if (p.purpose() != purpose) {
            return Optional.empty();
        }
        Optional<StoredUser> user = users.findById(p.userId()).filter(u -> !u.disabled())
                .filter(u -> Secrets.constantTimeEquals(AccountFingerprint.stamp(u), p.stamp()));
        if (user.isEmpty()) {
            pending.get().consume(p.id());
            return Optional.empty();
        }
        return Optional.of(new Pending(user.get(), p));
    }

    /** Counts one code on the pending sign-in; false when it has had its {@value #MAX_CODES_PER_HANDLE}. */
    public boolean reserveHandleAttempt(PendingSignIn p) {
        OptionalInt count = pending.orElseThrow().recordAttempt(p.id());
        if (count.isEmpty() || count.getAsInt() > MAX_CODES_PER_HANDLE) {
            pending.get().consume(p.id());
            return false;
        }
        return true;
    }

    /** Spends the pending sign-in; false when a racing completion got it first. */
    public boolean consume(PendingSignIn p) {
        return pending.orElseThrow().consume(p.id()).isPresent();
    }

    /** Ends a pending sign-in whose handle has had its last allowed code. */
    public void endIfSpent(PendingSignIn p) {
        pending.orElseThrow().find(p.id()).filter(now -> now.attempts() >= MAX_CODES_PER_HANDLE)
                .ifPresent(now -> pending.get().consume(now.id()));
    }

    /**
     * Parses what a user typed: six ASCII digits; or a recovery code, ten letters of the base32
     * alphabet in any case, spaces and hyphens ignored. Anything else (empty, too long, other
     * digits such as Arabic-Indic ones, other characters) is empty.
     */
    public static Optional<Code> parse(String input) {
        if (input == null || input.length() > MAX_INPUT) {
            return Optional.empty();
        }
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-' || c == '\t') {
                continue;
            }
            kept.append(c);
        }
        String s = kept.toString();
        if (s.length() == Totp.DIGITS && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(new Code.Totp(s));
        }
        if (s.length() == 10) {
            StringBuilder upper = new StringBuilder(10);
            for (int i = 0; i < 10; i++) {
                char c = s.charAt(i);
                char u = c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
                if (Base32.ALPHABET.indexOf(u) < 0) {
                    return Optional.empty();
                }
                upper.append(u);
            }
            return Optional.of(new Code.Recovery(upper.toString()));
        }
        return Optional.empty();
    }

    /**
     * Checks a code of {@code user}'s factors under the code throttle. {@code beforeVerify} runs
     * after the throttle said yes and before anything is counted or compared (a pending sign-in
     * counts its attempt there); false stops with {@link CodeOutcome.HandleSpent}.
     */
    public CodeOutcome verify(StoredUser user, String input, String clientAddress, Optional<DeviceToken> device,
                              BooleanSupplier beforeVerify) {
        return guarded(user, input, clientAddress, device, beforeVerify, (code, now) -> code instanceof Code.Totp t
                ? verifyTotp(user.id(), t.digits(), now)
                : verifyRecovery(user, ((Code.Recovery) code).normalised(), clientAddress));
    }

    /**
     * Checks the first code of a pending enrolment, under the same throttle, and confirms the
     * enrolment with it (that code's step counts as used). A recovery code is wrong here.
     */
    public CodeOutcome confirmEnrolment(StoredUser user, String input, String clientAddress,
                                        BooleanSupplier beforeVerify) {
        return guarded(user, input, clientAddress, Optional.empty(), beforeVerify, (code, now) -> {
            Optional<TotpEnrolment> pendingTotp = store().findTotp(user.id()).filter(e -> !e.confirmed());
            if (!(code instanceof Code.Totp t) || pendingTotp.isEmpty()) {
                return Optional.empty();
            }
            Optional<byte[]> secret = box().open(user.id(), pendingTotp.get().sealedSecret());
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            OptionalLong step = Totp.matchingStep(secret.get(), t.digits(), now);
            java.util.Arrays.fill(secret.get(), (byte) 0);
            if (step.isEmpty() || !store().confirmTotp(user.id(), pendingTotp.get().sealedSecret(), step.getAsLong(),
                    now)) {
                return Optional.empty();
            }
            return Optional.of(new CodeOutcome.Verified(false, -1));
        });
    }

    private interface CodeCheck {
        Optional<CodeOutcome.Verified> check(Code code, Instant now);
    }

    private CodeOutcome guarded(StoredUser user, String input, String clientAddress, Optional<DeviceToken> device,
                                BooleanSupplier beforeVerify, CodeCheck checker) {
        Optional<Code> code = parse(input);
        if (code.isEmpty()) {
            return new CodeOutcome.Invalid(FieldErrors.of("code", ENTER_CODE));
        }
        Instant now = clock.instant();
        String budgetKey = device.flatMap(t -> devices.budgetKey(t, user.email(), now)).map(k -> "mfa-" + k)
                .orElseGet(() -> "mfa-acct:" + TokenDigest.of("mfa-acct:" + user.id().value()).hex());
        Optional<String> addressKey = Throttle.addressKey("mfa-addr", clientAddress);
        Throttle.Check check = throttle.check(budgetKey, addressKey, now);
        if (check.retryAfter().isPresent()) {
            return throttled(user, clientAddress, check.retryAfter().get());
        }
        if (!beforeVerify.getAsBoolean()) {
            return new CodeOutcome.HandleSpent();
        }
        // Reserved before the check, as for passwords: of parallel guesses that passed the same
        // throttle check, only those the schedule has room for are compared.
        Throttle.Reservations reserved = throttle.reserveBoth(budgetKey, check.accountFailures(), addressKey, now);
        if (!reserved.proceed()) {
            return throttled(user, clientAddress, Duration.ofSeconds(1));
        }
        if (reserved.addressRefusal().isPresent()) {
            return throttled(user, clientAddress, reserved.addressRefusal().get());
        }
        Optional<CodeOutcome.Verified> ok = checker.check(code.get(), now);
        if (ok.isEmpty()) {
            audit.emit(AuthEventType.SECOND_FACTOR_FAILED, user.id(), clientAddress);
            return new CodeOutcome.Wrong();
        }
        throttle.recordSuccess(budgetKey, addressKey);
        return ok.get();
    }

    private CodeOutcome throttled(StoredUser user, String clientAddress, Duration retryAfter) {
        audit.emit(AuthEventType.SECOND_FACTOR_THROTTLED, user.id(), clientAddress);
        return new CodeOutcome.Throttled(retryAfter);
    }

    private Optional<CodeOutcome.Verified> verifyTotp(UserId userId, String digits, Instant now) {
        Optional<TotpEnrolment> enrolment = confirmedTotp(userId);
        if (enrolment.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> secret = box().open(userId, enrolment.get().sealedSecret());
        if (secret.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "the authenticator secret of user " + userId
                    + " does not open with this secondFactorKey; was the key changed?");
            return Optional.empty();
        }
        OptionalLong step = Totp.matchingStep(secret.get(), digits, now);
        java.util.Arrays.fill(secret.get(), (byte) 0);
        // The conditional update is the replay guard: the same code, or an older one, fails here
        // however many requests race with it.
        if (step.isEmpty() || !store().advanceTotpStep(userId, step.getAsLong())) {
            return Optional.empty();
        }
        return Optional.of(new CodeOutcome.Verified(false, -1));
    }

    private Optional<CodeOutcome.Verified> verifyRecovery(StoredUser user, String normalised, String clientAddress) {
        if (!enrolled(user.id())) {
            return Optional.empty();
        }
        if (!store().useRecoveryCode(user.id(), box().recoveryCodeDigest(user.id(), normalised))) {
            return Optional.empty();
        }
        int left = store().countRecoveryCodes(user.id());
        audit.emit(AuthEventType.RECOVERY_CODE_USED, user.id(), clientAddress);
        notices.recoveryCodeUsed(user.id(), left);
        return Optional.of(new CodeOutcome.Verified(true, left));
    }

    /**
     * Draws {@value #RECOVERY_CODES} recovery codes of 50 random bits each (ten base32 letters),
     * stores only their keyed digests (replacing any earlier set) and returns them for display, as
     * {@code xxxxx-xxxxx}.
     */
    public List<String> newRecoveryCodes(UserId userId) {
        List<String> shown = new ArrayList<>();
        List<TokenDigest> digests = new ArrayList<>();
        while (shown.size() < RECOVERY_CODES) {
            // 7 bytes = 56 bits, of which the first 50 make ten base32 letters.
            String code = Base32.encode(secrets.bytes(7)).substring(0, 10);
            String display = code.substring(0, 5).toLowerCase(java.util.Locale.ROOT) + "-"
                    + code.substring(5).toLowerCase(java.util.Locale.ROOT);
            if (!shown.contains(display)) {
                shown.add(display);
                digests.add(box().recoveryCodeDigest(userId, code));
            }
        }
        store().replaceRecoveryCodes(userId, digests, clock.instant());
        return List.copyOf(shown);
    }

    /**
     * The proofs of a session against the step-up window: {@code fresh} when the password was
     * proved within it ({@code passwordJustProved}: the caller checked it a moment ago) and, for an
     * account with a second factor, the factor too; {@code fullSignIn} when every factor of the
     * account was proved at some point of the session.
     */
    public Freshness freshness(SessionToken session, boolean passwordJustProved) {
        Optional<CurrentUser> user = resolver.currentUser(session);
        Optional<SessionRecord> record = user.isEmpty() ? Optional.empty() : sessions.find(session.digest());
        if (record.isEmpty()) {
            return new Freshness(Optional.empty(), false, false);
        }
        Instant now = clock.instant();
        boolean twoFactor = enrolled(user.get().id());
        boolean password = passwordJustProved || within(record.get().passwordAt(), now);
        boolean factor = !twoFactor || within(record.get().secondFactorAt(), now);
        boolean full = !twoFactor || record.get().secondFactorAt() != null;
        return new Freshness(user, password && factor, full);
    }

    private boolean within(Instant provedAt, Instant now) {
        return provedAt != null && !provedAt.isAfter(now.plus(Duration.ofMinutes(1)))
                && now.isBefore(provedAt.plus(policy.stepUpWindow()));
    }

    /** Records fresh proofs in the session; null leaves a proof as it is. */
    public void recordProofs(SessionToken session, Instant passwordAt, Instant secondFactorAt) {
        sessions.recordProofs(session.digest(), passwordAt, secondFactorAt);
    }

    /**
     * The prefix that binds a remember-me series to the account's current enrolment: empty without
     * one. A series that started before the account enrolled (or under an enrolment since replaced)
     * lacks it, so resuming it is refused.
     */
    public String seriesTag(UserId userId) {
        return confirmedTotp(userId).map(e -> "f" + Secrets.sha256Hex(userId.value() + "\n" + e.sealedSecret() + "\n"
                + e.confirmedAt().toEpochMilli()).substring(0, 12) + ".").orElse("");
    }

    public int purgeExpired(Instant now) {
        return pending.map(p -> p.deleteExpired(now)).orElse(0);
    }
}
