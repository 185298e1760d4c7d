package dev.portcullis.passkey;

import static dev.portcullis.passkey.PasskeyWire.ALGORITHMS;
import static dev.portcullis.passkey.PasskeyWire.MAX_NAME;
import static dev.portcullis.passkey.PasskeyWire.b64;
import static dev.portcullis.passkey.PasskeyWire.expectations;
import static dev.portcullis.passkey.PasskeyWire.userHandle;
import static dev.portcullis.passkey.PasskeyWire.uv;
import static dev.portcullis.passkey.PasskeyWire.validId;

import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.PendingSignIns;
import dev.portcullis.internal.SecondFactorCheck;
import dev.portcullis.internal.Secrets;
import dev.portcullis.internal.SignIn;
import dev.portcullis.internal.StepUp;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.PasskeyChallenge;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.StoredPasskey;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.WebAuthnVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Passkeys: adding one (a signed-in user with a recent proof), signing in with one alone
 * (usernameless, discoverable credentials) or as the second factor of a pending sign-in, and the
 * owner's list, rename and delete. Both sign-ins end in the one sign-in completion, so their
 * sessions are like any other.
 *
 * <p>Challenges are 256 random bits, stored only as digests, bound to their ceremony (and account),
 * valid for {@link PasskeySettings#CHALLENGE_LIFETIME} and deleted by the first answer, right or
 * wrong. The signature counter is compared with the <em>stored</em> one: a counter that does not
 * increase (when either is non-zero) refuses the sign-in, is reported as
 * {@link AuthEventType#PASSKEY_CLONE_SUSPECTED} and mailed to the owner; the new counter is stored
 * with a conditional update, so of two assertions racing with the same counter one wins. Failures
 * count on the passkeys' own throttle, never on the password's.
 */
public final class Passkeys {

    private final Core core;
    private final Optional<PasskeySettings> settings;
    private final PasskeyCheck passkeyCheck;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public Passkeys(Core core, Optional<PasskeySettings> settings) {
        this.core = Objects.requireNonNull(core, "core");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.passkeyCheck = new PasskeyCheck(core);
    }

    /** Whether passkeys are configured ({@code Portcullis.builder().passkeys(..)}). */
    public boolean enabled() {
        return settings.isPresent();
    }

    private PasskeySettings settings() {
        return settings.orElseThrow(() -> new IllegalStateException(
                "passkeys are not configured: call Portcullis.builder().passkeys(PasskeySettings...)"));
    }

    // ---------------------------------------------------------------- registration

    /** Options to add a passkey to the session's account; needs a recent proof (step-up). */
    public PasskeyOptionsResult registrationOptions(SessionToken session) {
        Objects.requireNonNull(session, "session");
        PasskeySettings s = settings();
        StepUp.Freshness f = core.stepUp().freshness(session, false);
        if (!f.authenticated()) {
            return new PasskeyOptionsResult.NotAuthenticated();
        }
        if (!f.fresh()) {
            return new PasskeyOptionsResult.ReauthenticationRequired();
        }
        CurrentUser me = f.user().orElseThrow();
        String challenge = newChallenge(PasskeyChallenge.Purpose.REGISTRATION, Optional.of(me.id()), Optional.empty());
        List<String> exclude = s.passkeys().findByUser(me.id()).stream().map(StoredPasskey::credentialId).toList();
        return new PasskeyOptionsResult.Creation(new CreationOptions(challenge, s.rpId(), s.rpName(),
                userHandle(me.id()), me.email().display(), me.email().display(), ALGORITHMS, exclude, "preferred",
                uv(s), "none", PasskeySettings.CHALLENGE_LIFETIME.toMillis()));
    }

    /** Verifies the browser's answer to {@link #registrationOptions} and stores the passkey. */
    public PasskeyRegistrationResult register(SessionToken session, PasskeyRegistration input, String clientAddress) {
        Objects.requireNonNull(session, "session");
        PasskeySettings s = settings();
        StepUp.Freshness f = core.stepUp().freshness(session, false);
        if (!f.authenticated()) {
            return new PasskeyRegistrationResult.NotAuthenticated();
        }
        PasskeyWire.DecodedRegistration d = PasskeyWire.decodeRegistration(input);
        if (d.errors() != null) {
            return new PasskeyRegistrationResult.Invalid(d.errors());
        }
        if (!f.fresh()) {
            return new PasskeyRegistrationResult.ReauthenticationRequired();
        }
        UserId me = f.user().orElseThrow().id();
        Optional<PasskeyChallenge> challenge = consume(input.challenge());
        if (challenge.isEmpty() || challenge.get().purpose() != PasskeyChallenge.Purpose.REGISTRATION
                || !challenge.get().userId().equals(Optional.of(me))) {
            return new PasskeyRegistrationResult.InvalidChallenge();
        }
        WebAuthnVerifier.RegistrationCheck check = s.verifier().verifyRegistration(
                new WebAuthnVerifier.Registration(d.clientData(), d.attestation(), Set.copyOf(input.transports())),
                expectations(s, input.challenge()));
        if (!(check instanceof WebAuthnVerifier.RegistrationCheck.Verified ok)
                || s.userVerificationRequired() && !ok.userVerified()) {
            log("registration refused for user " + me + ": " + (check instanceof WebAuthnVerifier.RegistrationCheck.Refused r
                    ? r.reason() : "user verification missing"));
            audit(AuthEventType.PASSKEY_FAILED, me, clientAddress);
            return new PasskeyRegistrationResult.Refused();
        }
        Instant now = core.clock().instant();
        StoredPasskey passkey = new StoredPasskey(b64(ok.credentialId()), me, ok.publicKey(), ok.signCount(),
                Set.copyOf(input.transports()), ok.backupEligible(), ok.backedUp(), ok.aaguid(), d.name(), now, null);
        if (!s.passkeys().insert(passkey)) {
            return new PasskeyRegistrationResult.AlreadyRegistered();
        }
        audit(AuthEventType.PASSKEY_ADDED, me, clientAddress);
        core.notices().passkeyAdded(me, d.name());
        return new PasskeyRegistrationResult.Registered(info(passkey));
    }

    // ---------------------------------------------------------------- sign-in

    /** Options for a usernameless sign-in (also for the login page's autofill, conditional mediation). */
    public RequestOptions signInOptions() {
        PasskeySettings s = settings();
        String challenge = newChallenge(PasskeyChallenge.Purpose.SIGN_IN, Optional.empty(), Optional.empty());
        return new RequestOptions(challenge, s.rpId(), List.of(), uv(s), PasskeySettings.CHALLENGE_LIFETIME.toMillis());
    }

    /** Signs in with a passkey alone; multi-factor when the authenticator verified its user. */
    public PasskeySignInResult signIn(PasskeyAssertion input, String clientAddress) {
        PasskeySettings s = settings();
        long generation = core.signIn().begin();
        PasskeyWire.DecodedAssertion d = PasskeyWire.decodeAssertion(input);
        if (d.errors() != null) {
            return new PasskeySignInResult.Invalid(d.errors());
        }
        Optional<PasskeyChallenge> challenge = consume(input.challenge());
        if (challenge.isEmpty() || challenge.get().purpose() != PasskeyChallenge.Purpose.SIGN_IN) {
            return new PasskeySignInResult.InvalidChallenge();
        }
        PasskeyCheck.Checked c = passkeyCheck.check(s, input, d, Optional.empty(), clientAddress);
        if (c.refusal() != null) {
            return c.refusal();
        }
        StoredUser user = c.user();
        SecondFactorCheck.Requirement needs = core.factors().requirement(user);
        if (!c.userVerified() && needs != SecondFactorCheck.Requirement.NONE) {
            // Possession alone is one factor: not enough for an account that has (or needs) two.
            audit(AuthEventType.PASSKEY_FAILED, user.id(), clientAddress);
            return new PasskeySignInResult.Refused();
        }
        Instant now = core.clock().instant();
        SignIn.Proofs proofs = c.userVerified() ? new SignIn.Proofs(now, now) : new SignIn.Proofs(now, null);
        String stamp = AccountFingerprint.stamp(user);
        String credentialId = input.credentialId();
        return finish(user, clientAddress, generation, () -> stampUnchanged(user, stamp)
                && s.passkeys().find(credentialId).isPresent(), proofs, c.userVerified());
    }

    /** Options to answer a pending sign-in ({@code LoginResult.SecondFactorRequired}) with a passkey. */
    public PasskeyOptionsResult secondFactorOptions(String pendingHandle) {
        PasskeySettings s = settings();
        Optional<PendingSignIns.Pending> found = pending(pendingHandle);
        if (found.isEmpty()) {
            return new PasskeyOptionsResult.InvalidHandle();
        }
        UserId userId = found.get().user().id();
        List<String> allow = s.passkeys().findByUser(userId).stream().map(StoredPasskey::credentialId).toList();
        if (allow.isEmpty()) {
            return new PasskeyOptionsResult.InvalidHandle();
        }
        String challenge = newChallenge(PasskeyChallenge.Purpose.SECOND_FACTOR, Optional.of(userId),
                Optional.of(found.get().record().id()));
        return new PasskeyOptionsResult.Request(new RequestOptions(challenge, s.rpId(), allow, uv(s),
                PasskeySettings.CHALLENGE_LIFETIME.toMillis()));
    }

    /**
     * Completes a pending sign-in with one of the account's passkeys instead of a code; counts as
     * one of the pending sign-in's attempts.
     */
    public PasskeySignInResult completeSignIn(String pendingHandle, PasskeyAssertion input, String clientAddress,
                                              Optional<DeviceToken> device) {
        Objects.requireNonNull(device, "device");
        PasskeySettings s = settings();
        long generation = core.signIn().begin();
        Optional<PendingSignIns.Pending> found = pending(pendingHandle);
        if (found.isEmpty()) {
            return new PasskeySignInResult.InvalidHandle();
        }
        PasskeyWire.DecodedAssertion d = PasskeyWire.decodeAssertion(input);
        if (d.errors() != null) {
            return new PasskeySignInResult.Invalid(d.errors());
        }
        StoredUser user = found.get().user();
        PendingSignIn pending = found.get().record();
        Optional<PasskeyChallenge> challenge = consume(input.challenge());
        if (challenge.isEmpty() || challenge.get().purpose() != PasskeyChallenge.Purpose.SECOND_FACTOR
                || !challenge.get().userId().equals(Optional.of(user.id()))
                || !challenge.get().pending().equals(Optional.of(pending.id()))) {
            return new PasskeySignInResult.InvalidChallenge();
        }
        if (!core.pendingSignIns().reserveHandleAttempt(pending)) {
            return new PasskeySignInResult.InvalidHandle();
        }
        PasskeyCheck.Checked c = passkeyCheck.check(s, input, d, Optional.of(user.id()), clientAddress);
        if (c.refusal() != null) {
            core.pendingSignIns().endIfSpent(pending);
            return c.refusal();
        }
        if (!core.pendingSignIns().consume(pending)) {
            return new PasskeySignInResult.InvalidHandle();
        }
        Instant now = core.clock().instant();
        return finish(user, clientAddress, generation, () -> stampUnchanged(user, pending.stamp()),
                new SignIn.Proofs(pending.createdAt(), now), true);
    }

    private PasskeySignInResult finish(StoredUser user, String clientAddress, long generation,
                                       java.util.function.BooleanSupplier stillValid, SignIn.Proofs proofs,
                                       boolean multiFactor) {
        Optional<SignIn.SignedIn> signedIn = core.signIn().complete(user, clientAddress, generation, stillValid, proofs);
        if (signedIn.isEmpty()) {
            return new PasskeySignInResult.Refused();
        }
        audit(AuthEventType.PASSKEY_SIGNED_IN, user.id(), clientAddress);
        return new PasskeySignInResult.Success(signedIn.get().user(), signedIn.get().session(),
                core.devices().issue(user.email(), core.clock().instant()), multiFactor);
    }

    // ---------------------------------------------------------------- management

    /** The session's passkeys, oldest first; empty without a valid session. */
    public Optional<List<PasskeyInfo>> list(SessionToken session) {
        Objects.requireNonNull(session, "session");
        PasskeySettings s = settings();
        return core.resolver().currentUser(session)
                .map(me -> s.passkeys().findByUser(me.id()).stream().map(Passkeys::info).toList());
    }

    public PasskeyChangeResult rename(SessionToken session, String credentialId, String name) {
        Objects.requireNonNull(session, "session");
        PasskeySettings s = settings();
        Optional<CurrentUser> me = core.resolver().currentUser(session);
        if (me.isEmpty()) {
            return new PasskeyChangeResult.NotAuthenticated();
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.codePointCount(0, n.length()) > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
            return new PasskeyChangeResult.Invalid(FieldErrors.of("name", "Use 1 to " + MAX_NAME + " characters."));
        }
        if (!validId(credentialId) || !s.passkeys().rename(me.get().id(), credentialId, n)) {
            return new PasskeyChangeResult.NotFound();
        }
        return new PasskeyChangeResult.Done();
    }

    /**
     * Deletes one of the session's passkeys; needs a recent proof. The last passkey of an account
     * without a usable password is kept (it is the only way in).
     */
    public PasskeyChangeResult delete(SessionToken session, String credentialId, String clientAddress) {
        Objects.requireNonNull(session, "session");
        PasskeySettings s = settings();
        StepUp.Freshness f = core.stepUp().freshness(session, false);
        if (!f.authenticated()) {
            return new PasskeyChangeResult.NotAuthenticated();
        }
        if (!f.fresh()) {
            return new PasskeyChangeResult.ReauthenticationRequired();
        }
        UserId me = f.user().orElseThrow().id();
        List<StoredPasskey> mine = s.passkeys().findByUser(me);
        Optional<StoredPasskey> target = validId(credentialId)
                ? mine.stream().filter(p -> p.credentialId().equals(credentialId)).findFirst() : Optional.empty();
        if (target.isEmpty()) {
            return new PasskeyChangeResult.NotFound();
        }
        boolean hasPassword = core.users().findById(me).map(u -> core.hasher().supports(u.passwordHash()))
                .orElse(false);
        if (!hasPassword && mine.size() <= 1) {
            return new PasskeyChangeResult.LastCredential();
        }
        if (!s.passkeys().delete(me, credentialId)) {
            return new PasskeyChangeResult.NotFound();
        }
        audit(AuthEventType.PASSKEY_REMOVED, me, clientAddress);
        core.notices().passkeyRemoved(me, target.get().name());
        return new PasskeyChangeResult.Done();
    }

    /** Deletes expired challenges; {@code Portcullis.purgeExpired} calls it. */
    public int purgeExpired() {
        return settings.map(s -> s.challenges().deleteExpired(core.clock().instant())).orElse(0);
    }

    // ---------------------------------------------------------------- helpers

    private String newChallenge(PasskeyChallenge.Purpose purpose, Optional<UserId> userId,
                                Optional<TokenDigest> pending) {
        String challenge = core.secrets().next();
        settings().challenges().insert(new PasskeyChallenge(TokenDigest.of(challenge), purpose, userId, pending,
                core.clock().instant().plus(PasskeySettings.CHALLENGE_LIFETIME)));
        return challenge;
    }

    private Optional<PasskeyChallenge> consume(String challenge) {
        return settings().challenges().consume(TokenDigest.of(challenge), core.clock().instant());
    }

    private Optional<PendingSignIns.Pending> pending(String handle) {
        if (handle == null || handle.isEmpty() || handle.length() > 128) {
            return Optional.empty();
        }
        return core.pendingSignIns().findPending(handle, PendingSignIn.Purpose.SECOND_FACTOR);
    }

    private boolean stampUnchanged(StoredUser user, String stamp) {
        return core.users().findById(user.id()).filter(u -> !u.disabled())
                .filter(u -> Secrets.constantTimeEquals(AccountFingerprint.stamp(u), stamp)).isPresent();
    }

    private static PasskeyInfo info(StoredPasskey p) {
        return new PasskeyInfo(p.credentialId(), p.name(), p.createdAt(), Optional.ofNullable(p.lastUsedAt()),
                p.backupEligible(), p.transports());
    }

    private void audit(AuthEventType type, UserId userId, String clientAddress) {
        core.audit().emit(type, userId, clientAddress);
    }

    /** Under this class's logger name, also for {@link PasskeyCheck}. */
    static void log(String message) {
        System.getLogger(Passkeys.class.getName()).log(System.Logger.Level.INFO, message);
    }

}
