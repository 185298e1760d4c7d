package dev.portcullis.passkey;

import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.PendingSignIns;
import dev.portcullis.internal.SecondFactorCheck;
import dev.portcullis.internal.Secrets;
import dev.portcullis.internal.SignIn;
import dev.portcullis.internal.StepUp;
import dev.portcullis.internal.Throttle;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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

    static final int MAX_CLIENT_DATA = 4096;
    static final int MAX_ATTESTATION = 32 * 1024;
    static final int MAX_AUTHENTICATOR_DATA = 4096;
    static final int MAX_SIGNATURE = 1024;
    static final int MAX_CREDENTIAL_ID = 1023;
    static final int MAX_USER_HANDLE = 64;
    static final int MAX_NAME = 64;
    /** COSE algorithms offered: ES256, EdDSA, RS256. */
    static final List<Integer> ALGORITHMS = List.of(-7, -8, -257);

    private final Core core;
    private final Optional<PasskeySettings> settings;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public Passkeys(Core core, Optional<PasskeySettings> settings) {
        this.core = Objects.requireNonNull(core, "core");
        this.settings = Objects.requireNonNull(settings, "settings");
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
        if (input == null) {
            return new PasskeyRegistrationResult.Invalid(FieldErrors.of("credential", "Send the passkey's answer."));
        }
        FieldErrors.Collector errors = new FieldErrors.Collector();
        byte[] clientData = decode(input.clientDataJson(), "clientDataJSON", MAX_CLIENT_DATA, errors);
        byte[] attestation = decode(input.attestationObject(), "attestationObject", MAX_ATTESTATION, errors);
        String name = input.name() == null || input.name().isBlank() ? "Passkey" : input.name().strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            errors.add("name", "Use at most " + MAX_NAME + " characters.");
        }
        if (input.transports().size() > 8 || input.transports().stream()
                .anyMatch(t -> t == null || !t.matches("[a-z-]{1,16}"))) {
            errors.add("transports", "Unknown transports.");
        }
        if (!validChallenge(input.challenge())) {
            errors.add("challenge", "Missing or malformed challenge.");
        }
        if (!errors.isEmpty()) {
            return new PasskeyRegistrationResult.Invalid(errors.toErrors());
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
                new WebAuthnVerifier.Registration(clientData, attestation, Set.copyOf(input.transports())),
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
                Set.copyOf(input.transports()), ok.backupEligible(), ok.backedUp(), ok.aaguid(), name, now, null);
        if (!s.passkeys().insert(passkey)) {
            return new PasskeyRegistrationResult.AlreadyRegistered();
        }
        audit(AuthEventType.PASSKEY_ADDED, me, clientAddress);
        core.notices().passkeyAdded(me, name);
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
        Decoded d = decodeAssertion(input);
        if (d.errors() != null) {
            return new PasskeySignInResult.Invalid(d.errors());
        }
        Optional<PasskeyChallenge> challenge = consume(input.challenge());
        if (challenge.isEmpty() || challenge.get().purpose() != PasskeyChallenge.Purpose.SIGN_IN) {
            return new PasskeySignInResult.InvalidChallenge();
        }
        Checked c = check(s, input, d, Optional.empty(), clientAddress);
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
        Decoded d = decodeAssertion(input);
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
        Checked c = check(s, input, d, Optional.of(user.id()), clientAddress);
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

    private record Decoded(FieldErrors errors, byte[] credentialId, byte[] clientData, byte[] authenticatorData,
                           byte[] signature, byte[] userHandle) {
    }

    private Decoded decodeAssertion(PasskeyAssertion input) {
        if (input == null) {
            return new Decoded(FieldErrors.of("credential", "Send the passkey's answer."), null, null, null, null, null);
        }
        FieldErrors.Collector errors = new FieldErrors.Collector();
        byte[] id = decode(input.credentialId(), "id", MAX_CREDENTIAL_ID, errors);
        byte[] clientData = decode(input.clientDataJson(), "clientDataJSON", MAX_CLIENT_DATA, errors);
        byte[] authData = decode(input.authenticatorData(), "authenticatorData", MAX_AUTHENTICATOR_DATA, errors);
        byte[] signature = decode(input.signature(), "signature", MAX_SIGNATURE, errors);
        byte[] userHandle = input.userHandle() == null || input.userHandle().isEmpty() ? null
                : decode(input.userHandle(), "userHandle", MAX_USER_HANDLE, errors);
        if (!validChallenge(input.challenge())) {
            errors.add("challenge", "Missing or malformed challenge.");
        }
        if (!errors.isEmpty()) {
            return new Decoded(errors.toErrors(), null, null, null, null, null);
        }
        return new Decoded(null, id, clientData, authData, signature, userHandle);
    }

    private record Checked(PasskeySignInResult refusal, StoredUser user, boolean userVerified) {
    }

    /**
     * The one passkey check of both sign-ins: the credential, the throttle (reserved before the
     * verify), the signature, user verification, the counter against the stored one, the atomic
     * counter update.
     */
    private Checked check(PasskeySettings s, PasskeyAssertion input, Decoded d, Optional<UserId> expectedUser,
                          String clientAddress) {
        Instant now = core.clock().instant();
        Optional<String> addressKey = addressKey(clientAddress);
        Optional<StoredPasskey> found = s.passkeys().find(input.credentialId())
                .filter(p -> expectedUser.isEmpty() || p.userId().equals(expectedUser.get()));
        String budgetKey = found.map(p -> accountKey(p.userId())).orElse("pk-unknown");
        Throttle.Check gate = core.throttle().check(budgetKey, addressKey, now);
        if (gate.retryAfter().isPresent()) {
            audit(AuthEventType.PASSKEY_THROTTLED, found.map(StoredPasskey::userId), clientAddress);
            return refused(new PasskeySignInResult.Throttled(gate.retryAfter().get()));
        }
        Optional<Duration> address = core.throttle().reserveAddress(addressKey, now);
        if (address.isPresent()) {
            audit(AuthEventType.PASSKEY_THROTTLED, found.map(StoredPasskey::userId), clientAddress);
            return refused(new PasskeySignInResult.Throttled(address.get()));
        }
        Optional<StoredUser> user = found.flatMap(p -> core.users().findById(p.userId())).filter(u -> !u.disabled());
        if (found.isEmpty() || user.isEmpty()) {
            log("sign-in with an unknown passkey");
            return refused(new PasskeySignInResult.Refused());
        }
        StoredPasskey passkey = found.get();
        if (d.userHandle() != null && !b64(d.userHandle()).equals(userHandle(passkey.userId()))) {
            return failed(passkey, clientAddress, "the user handle does not match the passkey's account");
        }
        Throttle.Reservation reservation = core.throttle().reserve(budgetKey, gate.accountFailures(), now);
        if (!reservation.proceed()) {
            audit(AuthEventType.PASSKEY_THROTTLED, passkey.userId(), clientAddress);
            return refused(new PasskeySignInResult.Throttled(Duration.ofSeconds(1)));
        }
        WebAuthnVerifier.AssertionCheck check = s.verifier().verifyAssertion(new WebAuthnVerifier.Assertion(
                d.credentialId(), d.clientData(), d.authenticatorData(), d.signature(), d.userHandle()), passkey,
                expectations(s, input.challenge()));
        if (!(check instanceof WebAuthnVerifier.AssertionCheck.Verified ok)) {
            return failed(passkey, clientAddress, ((WebAuthnVerifier.AssertionCheck.Refused) check).reason());
        }
        if (s.userVerificationRequired() && !ok.userVerified()) {
            return failed(passkey, clientAddress, "user verification missing");
        }
        long stored = passkey.signCount();
        if ((ok.signCount() != 0 || stored != 0) && ok.signCount() <= stored) {
            // The authenticator's counter did not move past the one we stored: another copy of the
            // key has signed since, or this one is a copy. Either way the key is not to be trusted.
            log("signature counter " + ok.signCount() + " does not exceed the stored " + stored + " for a passkey of "
                    + passkey.userId() + ": possible cloned authenticator");
            audit(AuthEventType.PASSKEY_CLONE_SUSPECTED, passkey.userId(), clientAddress);
            core.notices().passkeyCloneSuspected(passkey.userId(), passkey.name());
            core.throttle().recordFailure(budgetKey, Optional.empty(), now);
            return refused(new PasskeySignInResult.Refused());
        }
        if (!s.passkeys().recordUse(passkey.credentialId(), stored, ok.signCount(), ok.backedUp(), now)) {
            // Another assertion with the same counter got there first.
            return failed(passkey, clientAddress, "the counter changed meanwhile (a concurrent assertion)");
        }
        core.throttle().recordSuccess(budgetKey, addressKey);
        return new Checked(null, user.get(), ok.userVerified());
    }

    private Checked failed(StoredPasskey passkey, String clientAddress, String reason) {
        log("passkey sign-in refused for " + passkey.userId() + ": " + reason);
        audit(AuthEventType.PASSKEY_FAILED, passkey.userId(), clientAddress);
        return refused(new PasskeySignInResult.Refused());
    }

    private static Checked refused(PasskeySignInResult r) {
        return new Checked(r, null, false);
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

    private static WebAuthnVerifier.Expectations expectations(PasskeySettings s, String challenge) {
        return new WebAuthnVerifier.Expectations(s.rpId(), s.origins(), challenge, s.userVerificationRequired());
    }

    private static String uv(PasskeySettings s) {
        return s.userVerificationRequired() ? "required" : "preferred";
    }

    /** The WebAuthn user handle: the account id's bytes (a random id, no personal data). */
    static String userHandle(UserId id) {
        return b64(id.value().getBytes(StandardCharsets.UTF_8));
    }

    private static String accountKey(UserId id) {
        return "pk-acct:" + TokenDigest.of("pk-acct:" + id.value()).hex();
    }

    private static Optional<String> addressKey(String clientAddress) {
        return clientAddress == null || clientAddress.isBlank() ? Optional.empty()
                : Optional.of("pk-addr:" + TokenDigest.of("pk-addr:" + Throttle.network(clientAddress.strip())).hex());
    }

    private static boolean validChallenge(String challenge) {
        return challenge != null && challenge.length() >= 16 && challenge.length() <= 128
                && challenge.matches("[A-Za-z0-9_-]+");
    }

    private static boolean validId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 1400 && id.matches("[A-Za-z0-9_-]+");
    }

    private static byte[] decode(String value, String field, int maxBytes, FieldErrors.Collector errors) {
        if (value == null || value.isEmpty()) {
            errors.add(field, "Missing.");
            return null;
        }
        // Checked before decoding: oversized input costs nothing.
        if (value.length() > (maxBytes * 4 + 2) / 3 + 1) {
            errors.add(field, "Too long.");
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(value.replace("=", ""));
        } catch (IllegalArgumentException e) {
            errors.add(field, "Not base64url.");
            return null;
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static PasskeyInfo info(StoredPasskey p) {
        return new PasskeyInfo(p.credentialId(), p.name(), p.createdAt(), Optional.ofNullable(p.lastUsedAt()),
                p.backupEligible(), p.transports());
    }

    private void audit(AuthEventType type, UserId userId, String clientAddress) {
        core.audit().emit(type, userId, clientAddress);
    }

    private void audit(AuthEventType type, Optional<UserId> userId, String clientAddress) {
        core.audit().emit(type, userId, clientAddress);
    }

    private static void log(String message) {
        System.getLogger(Passkeys.class.getName()).log(System.Logger.Level.INFO, message);
    }

}
