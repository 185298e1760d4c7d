package dev.portcullis.mfa;

import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Base32;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.PendingSignIns;
import dev.portcullis.internal.StepUp;
import dev.portcullis.internal.SecondFactorCheck;
import dev.portcullis.internal.SecondFactorCheck.CodeOutcome;
import dev.portcullis.internal.Secrets;
import dev.portcullis.internal.SignIn;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TotpEnrolment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's second factors: enrol an authenticator app (TOTP, RFC 6238), confirm it with a first
 * code, remove it, renew the recovery codes. Obtain it from {@code Portcullis.secondFactors()};
 * {@link #enabled()} is false unless the stores include the second-factor stores and the builder a
 * {@code secondFactorKey}. Immutable and thread-safe.
 *
 * <p>Every change is a sensitive action: the session must have proved every factor of the account
 * within the step-up window ({@code SecondFactorPolicy.stepUpWindow()}), else the answer is
 * "re-authentication required" ({@code Sessions.reauthenticate}). An account the policy requires
 * to have a factor enrols from the handle of {@code LoginResult.EnrolmentRequired} instead, and is
 * signed in when it confirms.
 *
 * <p>The secret is 160 random bits, sealed with AES-GCM under the application's key before it is
 * stored, and returned only by {@link #startEnrolment}; the enrolment is a second factor only once
 * a code of it was confirmed, and that code counts as used. Confirming hands out ten recovery codes,
 * shown once, stored only as keyed digests.
 */
public final class SecondFactors {

    private static final int SECRET_BYTES = 20;

    private final Core core;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public SecondFactors(Core core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /** Whether two-factor sign-in is configured. */
    public boolean enabled() {
        return core.factors().enabled();
    }

    /** The user's factors; none when second factors are not configured. */
    public FactorStatus status(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        boolean required = core.users().findById(userId).map(u -> core.factors().policy().requiredFor(u.roles()))
                .orElse(false) && enabled();
        if (!enabled()) {
            return new FactorStatus(false, 0, false);
        }
        return new FactorStatus(core.factors().enrolled(userId), core.factors().store().countRecoveryCodes(userId),
                required);
    }

    /**
     * Starts enrolling an authenticator app for the session's user (replacing an unconfirmed
     * enrolment, so each call shows a new secret). A sensitive action.
     */
    public EnrolmentStartResult startEnrolment(SessionToken session, String clientAddress) {
        requireEnabled();
        StepUp.Freshness fresh = core.stepUp().freshness(Objects.requireNonNull(session, "session"), false);
        if (!fresh.authenticated()) {
            return new EnrolmentStartResult.NotAuthenticated();
        }
        if (core.factors().enrolled(fresh.user().get().id())) {
            return new EnrolmentStartResult.AlreadyEnrolled();
        }
        if (!fresh.fresh()) {
            return new EnrolmentStartResult.ReauthenticationRequired();
        }
        return core.users().findById(fresh.user().get().id()).map(this::newPending)
                .orElseGet(EnrolmentStartResult.NotAuthenticated::new);
    }

    /** As above, from the handle of {@code LoginResult.EnrolmentRequired} (no session yet). */
    public EnrolmentStartResult startEnrolment(String enrolmentHandle) {
        requireEnabled();
        Optional<PendingSignIns.Pending> pending = core.pendingSignIns().findPending(enrolmentHandle,
                PendingSignIn.Purpose.ENROLMENT);
        if (pending.isEmpty()) {
            return new EnrolmentStartResult.NotAuthenticated();
        }
        return newPending(pending.get().user());
    }

    private EnrolmentStartResult newPending(StoredUser user) {
        byte[] secret = core.secrets().bytes(SECRET_BYTES);
        try {
            Instant now = core.clock().instant();
            String sealed = core.factors().box().seal(user.id(), secret);
            if (!core.factors().store().savePendingTotp(new TotpEnrolment(user.id(), sealed, now, null, -1))) {
                return new EnrolmentStartResult.AlreadyEnrolled();
            }
            String base32 = Base32.encode(secret);
            return new EnrolmentStartResult.Started(new TotpSetup(base32, uri(user, base32)));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** {@code otpauth://totp/Issuer:email?secret=…&issuer=…} (Google Authenticator Key URI Format). */
    private String uri(StoredUser user, String base32) {
        String issuer = core.serviceName().isBlank() ? "Portcullis" : core.serviceName();
        return "otpauth://totp/" + encode(issuer) + ":" + encode(user.email().display()) + "?secret=" + base32
                + "&issuer=" + encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Confirms the session user's pending enrolment with a first code of the app: the app becomes a
     * second factor (that code counts as used), the session counts as having proved it, the owner
     * is mailed, and the result carries ten recovery codes to show once.
     */
    public EnrolmentResult confirmEnrolment(SessionToken session, String code, String clientAddress) {
        requireEnabled();
        StepUp.Freshness fresh = core.stepUp().freshness(Objects.requireNonNull(session, "session"), false);
        if (!fresh.authenticated()) {
            return new EnrolmentResult.NotAuthenticated();
        }
        if (!fresh.fresh()) {
            return new EnrolmentResult.ReauthenticationRequired();
        }
        Optional<StoredUser> user = core.users().findById(fresh.user().get().id());
        if (user.isEmpty()) {
            return new EnrolmentResult.NotAuthenticated();
        }
        if (!hasPendingEnrolment(user.get().id())) {
            return new EnrolmentResult.NotStarted();
        }
        CodeOutcome outcome = core.factors().confirmEnrolment(user.get(), code, clientAddress, () -> true);
        if (!(outcome instanceof CodeOutcome.Verified)) {
            return refusal(outcome);
        }
        RecoveryCodes codes = enrolled(user.get().id(), clientAddress);
        core.stepUp().recordProofs(session, null, core.clock().instant());
        return new EnrolmentResult.Enrolled(codes);
    }

    /**
     * Confirms the enrolment started from an enrolment handle and signs the user in with both
     * factors; the handle is spent. Up to 5 codes per handle, under the code throttle.
     */
    public EnrolmentResult confirmEnrolment(String enrolmentHandle, String code, String clientAddress,
                                            Optional<DeviceToken> device) {
        requireEnabled();
        Objects.requireNonNull(device, "device");
        long generation = core.signIn().begin();
        Optional<PendingSignIns.Pending> found = core.pendingSignIns().findPending(enrolmentHandle,
                PendingSignIn.Purpose.ENROLMENT);
        if (found.isEmpty()) {
            return new EnrolmentResult.NotAuthenticated();
        }
        StoredUser user = found.get().user();
        PendingSignIn pending = found.get().record();
        if (!hasPendingEnrolment(user.id())) {
            return new EnrolmentResult.NotStarted();
        }
        CodeOutcome outcome = core.factors().confirmEnrolment(user, code, clientAddress,
                () -> core.pendingSignIns().reserveHandleAttempt(pending));
        if (outcome instanceof CodeOutcome.Wrong) {
            core.pendingSignIns().endIfSpent(pending);
        }
        if (!(outcome instanceof CodeOutcome.Verified)) {
            return refusal(outcome);
        }
        RecoveryCodes codes = enrolled(user.id(), clientAddress);
        if (!core.pendingSignIns().consume(pending)) {
            return new EnrolmentResult.NotAuthenticated();
        }
        Instant now = core.clock().instant();
        String stamp = pending.stamp();
        return core.signIn().complete(user, clientAddress, generation,
                        () -> core.users().findById(user.id()).filter(u -> !u.disabled())
                                .filter(u -> Secrets.constantTimeEquals(AccountFingerprint.stamp(u), stamp)).isPresent(),
                        new SignIn.Proofs(pending.createdAt(), now))
                .<EnrolmentResult>map(s -> new EnrolmentResult.SignedIn(s.user(), s.session(),
                        core.devices().issue(user.email(), now), codes))
                .orElseGet(EnrolmentResult.NotAuthenticated::new);
    }

    private boolean hasPendingEnrolment(UserId userId) {
        return core.factors().store().findTotp(userId).filter(e -> !e.confirmed()).isPresent();
    }

    private RecoveryCodes enrolled(UserId userId, String clientAddress) {
        List<String> codes = core.factors().newRecoveryCodes(userId);
        core.audit().emit(AuthEventType.SECOND_FACTOR_ENROLLED, userId, clientAddress);
        core.revocation().accountChanged(userId); // other nodes' cached lookups must see the factor
        core.notices().secondFactorAdded(userId);
        return new RecoveryCodes(codes);
    }

    private static EnrolmentResult refusal(CodeOutcome outcome) {
        if (outcome instanceof CodeOutcome.Invalid r) {
            return new EnrolmentResult.Invalid(r.errors());
        } else if (outcome instanceof CodeOutcome.Throttled r) {
            return new EnrolmentResult.Throttled(r.retryAfter());
        } else if (outcome instanceof CodeOutcome.HandleSpent) {
            return new EnrolmentResult.NotAuthenticated();
        }
        return new EnrolmentResult.WrongCode();
    }

    /**
     * Removes the session user's authenticator app and recovery codes: two-factor sign-in is off
     * for the account, the owner is mailed. Refused when the policy requires a factor for the
     * user's roles. A sensitive action.
     */
    public FactorChangeResult removeAuthenticator(SessionToken session, String clientAddress) {
        requireEnabled();
        Optional<FactorChangeResult> refused = refusedChange(session);
        if (refused.isPresent()) {
            return refused.get();
        }
        CurrentUser me = core.resolver().currentUser(session).orElseThrow();
        if (core.factors().policy().requiredFor(me.roles())) {
            return new FactorChangeResult.RequiredByPolicy();
        }
        core.factors().store().deleteTotp(me.id());
        core.factors().store().replaceRecoveryCodes(me.id(), List.of(), core.clock().instant());
        core.audit().emit(AuthEventType.SECOND_FACTOR_REMOVED, me.id(), clientAddress);
        core.revocation().accountChanged(me.id());
        core.notices().secondFactorRemoved(me.id());
        return new FactorChangeResult.Changed(new RecoveryCodes(List.of()));
    }

    /** Replaces the session user's recovery codes by ten new ones; the old set is void. A sensitive action. */
    public FactorChangeResult regenerateRecoveryCodes(SessionToken session, String clientAddress) {
        requireEnabled();
        Optional<FactorChangeResult> refused = refusedChange(session);
        if (refused.isPresent()) {
            return refused.get();
        }
        UserId id = core.resolver().currentUser(session).orElseThrow().id();
        RecoveryCodes codes = new RecoveryCodes(core.factors().newRecoveryCodes(id));
        core.audit().emit(AuthEventType.RECOVERY_CODES_REGENERATED, id, clientAddress);
        return new FactorChangeResult.Changed(codes);
    }

    private Optional<FactorChangeResult> refusedChange(SessionToken session) {
        StepUp.Freshness fresh = core.stepUp().freshness(Objects.requireNonNull(session, "session"), false);
        if (!fresh.authenticated()) {
            return Optional.of(new FactorChangeResult.NotAuthenticated());
        }
        if (!core.factors().enrolled(fresh.user().get().id())) {
            return Optional.of(new FactorChangeResult.NotEnrolled());
        }
        if (!fresh.fresh()) {
            return Optional.of(new FactorChangeResult.ReauthenticationRequired());
        }
        return Optional.empty();
    }

    private void requireEnabled() {
        if (!enabled()) {
            throw SecondFactorCheck.notConfigured();
        }
    }
}
