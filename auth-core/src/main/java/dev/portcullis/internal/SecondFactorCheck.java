package dev.portcullis.internal;

import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.policy.RoleGrants;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TotpEnrolment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The one second-factor check, used by every path that takes a code: completing a pending sign-in,
 * the token endpoint's {@code code}, step-up re-authentication, confirming an enrolment. And what
 * those paths share about the factors themselves: whether an account needs one, recovery codes, and
 * the remember-me enrolment tag. The pending sign-ins a code answers are {@link PendingSignIns};
 * the freshness of a session's proofs is {@link StepUp}.
 *
 * <p>Codes have a throttle of their own, apart from the password's: per account (or per trusted
 * device, as for passwords) and per client address, in the same attempt store under other keys,
 * with the password schedule (free failures, doubling delays, the lock). Every attempt is reserved
 * before the code is checked, so parallel guesses get no more checks than the schedule allows. A
 * right code clears the account's (or device's) count and gives the address reservation back.
 */
public final class SecondFactorCheck {

    private static final System.Logger LOG = System.getLogger(SecondFactorCheck.class.getName());

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

    private final Optional<SecondFactorStore> store;
    // Only for enabled(): a second factor needs the pending sign-ins' store too (PendingSignIns uses it).
    private final Optional<PendingSignInStore> pending;
    private final Optional<SecretBox> box;
    private final SecondFactorPolicy policy;
    private final Throttle throttle;
    private final Audit audit;
    private final Clock clock;
    private final Secrets secrets;
    private final DeviceTrust devices;
    private final OwnerNotices notices;
    private final RoleGrants grants;

    public SecondFactorCheck(Optional<SecondFactorStore> store, Optional<PendingSignInStore> pending,
                             Optional<SecretBox> box, SecondFactorPolicy policy, Throttle throttle, Audit audit,
                             Clock clock, Secrets secrets, DeviceTrust devices, OwnerNotices notices,
                             RoleGrants grants) {
        this.store = store;
        this.pending = pending;
        this.box = box;
        this.policy = policy;
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
     * The prefix that binds a remember-me series to the account's current enrolment: empty without
     * one. A series that started before the account enrolled (or under an enrolment since replaced)
     * lacks it, so resuming it is refused.
     */
    public String seriesTag(UserId userId) {
        return confirmedTotp(userId).map(e -> "f" + Secrets.sha256Hex(userId.value() + "\n" + e.sealedSecret() + "\n"
                + e.confirmedAt().toEpochMilli()).substring(0, 12) + ".").orElse("");
    }
}
