package dev.portcullis.session;

import dev.portcullis.Portcullis;
import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.PendingSignIns;
import dev.portcullis.internal.StepUp;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.policy.SessionPolicy;

import dev.portcullis.internal.CredentialCheck.Outcome;
import dev.portcullis.internal.Secrets;
import dev.portcullis.internal.SecondFactorCheck;
import dev.portcullis.internal.SecondFactorCheck.CodeOutcome;
import dev.portcullis.internal.SignIn;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SecondFactor;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.StoredUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Password sign-in and the server-side sessions it creates: log in, resolve the current user, log
 * out, end sessions elsewhere, list them. Obtain it from {@code Portcullis.sessions()}. Immutable
 * and thread-safe.
 *
 * <p>Sessions are 256-bit random tokens stored only as SHA-256 digests, with idle and absolute
 * timeouts ({@link SessionPolicy}). Lookups may be answered from a short per-node cache
 * ({@link SessionPolicy#lookupCacheTtl()}): timeouts are still checked against the clock on every
 * call, every change made through this instance takes effect at once, and a change made on
 * another node (or directly in the store) is seen within the TTL.
 *
 * <p>Every password sign-in also issues a device token (OWASP device cookies) for the browser to
 * keep and present next time: a sign-in with a valid one is throttled on that device's own budget,
 * so an account kept throttled by guesses from elsewhere still lets its owner's browsers in (see
 * {@code ThrottlePolicy}).
 *
 * <p>Two-factor sign-in: for an account with a second factor a right password gives
 * {@link LoginResult.SecondFactorRequired}, a pending sign-in that {@link #completeSignIn} turns
 * into a session with a code. Each session records when its holder last proved each factor;
 * {@link #reauthenticate} and {@link #reauthenticateSecondFactor} refresh those proofs before a
 * sensitive action (step-up, see {@code SecondFactorPolicy}).
 */
public final class Sessions {

    private final Core core;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public Sessions(Core core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /**
     * Checks credentials and starts a session. Unknown email, wrong password and disabled account
     * give the same {@link LoginResult.InvalidCredentials} after exactly one verify; a legacy or
     * weaker hash is upgraded after a successful one. The session is checked against the account
     * once more after it is stored: if the password was reset or changed (or the account
     * disabled) while this login was verifying, the session is withdrawn and the login fails. The
     * password inside {@code credentials} is wiped when this returns.
     */
    public LoginResult login(Credentials credentials, String clientAddress) {
        return login(credentials, clientAddress, Optional.empty());
    }

    /**
     * As {@link #login(Credentials, String)}, from a browser that presents the device token of an
     * earlier sign-in (OWASP device cookies): when the token is genuine, unexpired and issued for
     * this account, the attempt is throttled on that device's own budget, so wrong guesses from
     * other clients — which keep the account-wide budget of every client without a token
     * throttled — do not lock its owner out. Any other token counts as none. Every success carries
     * a fresh device token ({@link LoginResult.Success#device()}) for the browser to keep.
     */
    public LoginResult login(Credentials credentials, String clientAddress, Optional<DeviceToken> device) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(device, "device");
        try {
            long generation = core.signIn().begin();
            Outcome outcome = core.credentials().signIn(credentials, clientAddress, device);
            if (outcome instanceof Outcome.Verified ok) {
                StoredUser user = ok.user();
                SecondFactorCheck.Requirement needs = core.factors().requirement(user);
                if (needs == SecondFactorCheck.Requirement.CODE) {
                    return new LoginResult.SecondFactorRequired(
                            core.pendingSignIns().beginPending(user, PendingSignIn.Purpose.SECOND_FACTOR, clientAddress),
                            Set.of(SecondFactor.AUTHENTICATOR_APP, SecondFactor.RECOVERY_CODE));
                } else if (needs == SecondFactorCheck.Requirement.ENROLMENT) {
                    return new LoginResult.EnrolmentRequired(
                            core.pendingSignIns().beginPending(user, PendingSignIn.Purpose.ENROLMENT, clientAddress));
                }
                String stamp = AccountFingerprint.stamp(user);
                return core.signIn().complete(user, clientAddress, generation,
                                () -> core.credentials().unchanged(user.id(), stamp, credentials.password()))
                        .<LoginResult>map(s -> new LoginResult.Success(s.user(), s.session(),
                                core.devices().issue(user.email(), core.clock().instant())))
                        .orElseGet(LoginResult.InvalidCredentials::new);
            }
            return refusal(outcome);
        } finally {
            if (credentials.password() != null) {
                credentials.password().close();
            }
        }
    }

    /**
     * Completes a sign-in that {@link #login} answered with {@link LoginResult.SecondFactorRequired}:
     * {@code code} is a 6-digit code of the account's authenticator app (each usable once: the same
     * or an older code is refused, also when requests race) or one of its recovery codes (used up;
     * the owner is mailed). Codes are throttled on their own budget (per account, or per trusted
     * {@code device} as for passwords, and per address), separate from the password's. On success
     * the handle is spent and the session records both proofs.
     */
    public SecondFactorResult completeSignIn(String handle, String code, String clientAddress,
                                             Optional<DeviceToken> device) {
        Objects.requireNonNull(device, "device");
        long generation = core.signIn().begin();
        Optional<PendingSignIns.Pending> found = core.pendingSignIns().findPending(handle,
                PendingSignIn.Purpose.SECOND_FACTOR);
        if (found.isEmpty()) {
            return new SecondFactorResult.InvalidHandle();
        }
        StoredUser user = found.get().user();
        PendingSignIn pending = found.get().record();
        CodeOutcome outcome = core.factors().verify(user, code, clientAddress, device,
                () -> core.pendingSignIns().reserveHandleAttempt(pending));
        if (outcome instanceof CodeOutcome.Invalid r) {
            return new SecondFactorResult.Invalid(r.errors());
        } else if (outcome instanceof CodeOutcome.Throttled r) {
            return new SecondFactorResult.Throttled(r.retryAfter());
        } else if (outcome instanceof CodeOutcome.Wrong) {
            core.pendingSignIns().endIfSpent(pending);
            return new SecondFactorResult.WrongCode();
        } else if (!(outcome instanceof CodeOutcome.Verified) || !core.pendingSignIns().consume(pending)) {
            return new SecondFactorResult.InvalidHandle();
        }
        return core.signIn().complete(user, clientAddress, generation, () -> stampUnchanged(user, pending.stamp()),
                        new SignIn.Proofs(pending.createdAt(), core.clock().instant()))
                .<SecondFactorResult>map(s -> new SecondFactorResult.Success(s.user(), s.session(),
                        core.devices().issue(user.email(), core.clock().instant())))
                .orElseGet(SecondFactorResult.InvalidHandle::new);
    }

    /** A password change or reset (or a disable) that ran meanwhile withdraws the new session. */
    private boolean stampUnchanged(StoredUser user, String stamp) {
        return core.users().findById(user.id()).filter(u -> !u.disabled())
                .filter(u -> Secrets.constantTimeEquals(AccountFingerprint.stamp(u), stamp)).isPresent();
    }

    /**
     * Step-up with the password: records a fresh password proof in the session. Counted on the
     * password's throttle, like a login. The password is wiped.
     */
    public ReauthenticationResult reauthenticate(SessionToken session, RawPassword password, String clientAddress) {
        Objects.requireNonNull(session, "session");
        try (RawPassword pw = password) {
            Optional<CurrentUser> me = currentUser(session);
            if (me.isEmpty()) {
                return new ReauthenticationResult.NotAuthenticated();
            }
            if (pw == null || pw.isEmpty()) {
                return new ReauthenticationResult.Invalid(FieldErrors.of("password", "Enter your password."));
            }
            Outcome outcome = core.credentials().reauthenticate(me.get().id(), me.get().email(), pw, clientAddress);
            if (outcome instanceof Outcome.Throttled t) {
                return new ReauthenticationResult.Throttled(t.retryAfter());
            } else if (outcome instanceof Outcome.Busy b) {
                return new ReauthenticationResult.Busy(b.retryAfter());
            } else if (outcome instanceof Outcome.NoAccount) {
                return new ReauthenticationResult.NotAuthenticated();
            } else if (!(outcome instanceof Outcome.Verified)) {
                return new ReauthenticationResult.WrongPassword();
            }
            core.stepUp().recordProofs(session, core.clock().instant(), null);
            core.audit().emit(AuthEventType.REAUTHENTICATED, me.get().id(), clientAddress);
            return new ReauthenticationResult.Reauthenticated(core.stepUp().freshness(session, false).fresh());
        }
    }

    /**
     * Step-up with a second factor (a code of the authenticator app or a recovery code): records a
     * fresh second-factor proof in the session, under the code throttle.
     */
    public ReauthenticationResult reauthenticateSecondFactor(SessionToken session, String code, String clientAddress,
                                                             Optional<DeviceToken> device) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(device, "device");
        Optional<CurrentUser> me = currentUser(session);
        if (me.isEmpty()) {
            return new ReauthenticationResult.NotAuthenticated();
        }
        Optional<StoredUser> user = core.users().findById(me.get().id());
        if (user.isEmpty()) {
            return new ReauthenticationResult.NotAuthenticated();
        }
        if (!core.factors().enrolled(user.get().id())) {
            return new ReauthenticationResult.NoSecondFactor();
        }
        CodeOutcome outcome = core.factors().verify(user.get(), code, clientAddress, device, () -> true);
        if (outcome instanceof CodeOutcome.Invalid r) {
            return new ReauthenticationResult.Invalid(r.errors());
        } else if (outcome instanceof CodeOutcome.Throttled r) {
            return new ReauthenticationResult.Throttled(r.retryAfter());
        } else if (!(outcome instanceof CodeOutcome.Verified)) {
            return new ReauthenticationResult.WrongCode();
        }
        core.stepUp().recordProofs(session, null, core.clock().instant());
        core.audit().emit(AuthEventType.REAUTHENTICATED, user.get().id(), clientAddress);
        return new ReauthenticationResult.Reauthenticated(core.stepUp().freshness(session, false).fresh());
    }

    /**
     * Whether the session proved every factor of its account within the step-up window, i.e.
     * whether sensitive actions will go ahead without a re-authentication (false for an unknown or
     * expired session).
     */
    public boolean recentlyAuthenticated(SessionToken session) {
        return core.stepUp().freshness(Objects.requireNonNull(session, "session"), false).fresh();
    }

    private static LoginResult refusal(Outcome outcome) {
        if (outcome instanceof Outcome.Invalid r) {
            return new LoginResult.Invalid(r.errors());
        } else if (outcome instanceof Outcome.Throttled r) {
            return new LoginResult.Throttled(r.retryAfter());
        } else if (outcome instanceof Outcome.EmailNotVerified r) {
            return new LoginResult.EmailNotVerified(r.userId());
        } else if (outcome instanceof Outcome.Busy r) {
            return new LoginResult.Busy(r.retryAfter());
        }
        return new LoginResult.InvalidCredentials();
    }

    /**
     * The user behind a session token, when the session exists, has passed neither its idle nor
     * its absolute timeout, and the account is still enabled. An expired session is deleted.
     */
    public Optional<CurrentUser> currentUser(SessionToken token) {
        return core.resolver().currentUser(Objects.requireNonNull(token, "token"));
    }

    /** Ends the session. Unknown or expired tokens are ignored. */
    public void logout(SessionToken token, String clientAddress) {
        TokenDigest id = Objects.requireNonNull(token, "token").digest();
        Optional<SessionRecord> session = core.sessions().find(id);
        if (core.sessions().delete(id)) {
            core.audit().emit(AuthEventType.LOGGED_OUT, session.map(SessionRecord::userId), clientAddress);
        }
    }

    /**
     * Ends every session of the user ("log out everywhere"), with every remember-me token and
     * every credential the revokers manage. @return how many sessions ended
     */
    public int logoutEverywhere(UserId userId, String clientAddress) {
        int ended = core.revocation().revokeAll(Objects.requireNonNull(userId, "userId"), Optional.empty());
        core.audit().emit(AuthEventType.SESSIONS_REVOKED, userId, clientAddress);
        return ended;
    }

    /**
     * Ends every session of the token's user except this one, when the session proved every factor
     * within the step-up window; see {@link #endOtherSessions}.
     *
     * @return how many ended; 0 also when re-authentication is required
     * @deprecated tells no re-authentication apart from nothing to end: use {@link #endOtherSessions}
     */
    @Deprecated
    public int logoutOthers(SessionToken keep, String clientAddress) {
        return endOtherSessions(keep, clientAddress) instanceof LogoutOthersResult.Ended e ? e.count() : 0;
    }

    /**
     * Ends every session (and remember-me series, and revoker-managed credential) of the token's
     * user except this one. A sensitive action: the session must have proved every factor within
     * the step-up window, else {@link LogoutOthersResult.ReauthenticationRequired}.
     */
    public LogoutOthersResult endOtherSessions(SessionToken keep, String clientAddress) {
        StepUp.Freshness fresh = core.stepUp().freshness(Objects.requireNonNull(keep, "keep"), false);
        if (!fresh.authenticated()) {
            return new LogoutOthersResult.NotAuthenticated();
        }
        if (!fresh.fresh()) {
            return new LogoutOthersResult.ReauthenticationRequired();
        }
        UserId id = fresh.user().get().id();
        int ended = core.revocation().revokeAll(id, Optional.of(keep.digest()));
        core.audit().emit(AuthEventType.SESSIONS_REVOKED, id, clientAddress);
        return new LogoutOthersResult.Ended(ended);
    }

    /** The user's sessions that have not expired, newest first. */
    public List<ActiveSession> activeSessions(UserId userId) {
        Instant now = core.clock().instant();
        return core.sessions().findAllForUser(Objects.requireNonNull(userId, "userId")).stream()
                .filter(s -> !core.resolver().isExpired(s, now))
                .map(s -> new ActiveSession(s.id(), s.createdAt(), s.lastSeenAt(), s.clientAddress()))
                .toList();
    }

    public SessionPolicy policy() {
        return core.sessionPolicy();
    }

    /** How long a device token of {@link LoginResult.Success#device()} is trusted: its cookie's Max-Age. */
    public Duration deviceTokenLifetime() {
        return core.devices().lifetime();
    }
}
