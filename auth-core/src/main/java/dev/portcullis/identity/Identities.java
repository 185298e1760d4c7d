package dev.portcullis.identity;

import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.Secrets;
import dev.portcullis.internal.SecondFactorCheck;
import dev.portcullis.internal.SignIn;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.SecondFactor;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.IdentityStore;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.TokenPurpose;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.StoredUser;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Sign-in with external identities and the links between them and accounts. Obtain it from
 * {@code Portcullis.identities()} (configured with {@code Portcullis.builder().identityStore(..)}).
 * Immutable and thread-safe.
 *
 * <p>The rules, in one place:
 * <ul>
 *   <li>An identity is keyed on {@code (issuer, subject)}; its e-mail address never identifies it.</li>
 *   <li>A linked identity signs in to its account, as a password would: the same session, the same
 *       {@link CurrentUser}. It is a first factor.</li>
 *   <li>An unknown identity creates a new account only when no account has its address. The new
 *       account's address counts as verified only when {@link VerifiedIdentity#emailAuthoritative()}.</li>
 *   <li>An unknown identity whose address an account already has is linked only when the provider is
 *       authoritative for that address's domain and verified it; otherwise nothing happens
 *       ({@link FederatedSignInResult.LinkRequired}): the owner signs in to the account and links the
 *       provider from there ({@link #link}).</li>
 *   <li>An account never loses its last way in: without a password, its last identity cannot be
 *       unlinked.</li>
 *   <li>Every link is mailed to the account's address.</li>
 * </ul>
 *
 * <p>Callers pass only identities they have verified (auth-oidc does, after checking the ID token);
 * this class trusts what it is given.
 */
public final class Identities {

    /**
     * The password hash of an account created by an external sign-in: no hasher supports it, so the
     * account has no password until its owner sets one (a password reset).
     */
    static final PasswordHash NO_PASSWORD = new PasswordHash("!federated");

    static final int LINK_BY_MAIL_MINUTES = 30;
    /** How long a mailed link of {@link #requestLinkByMail} works. */
    static final Duration LINK_BY_MAIL_LIFETIME = Duration.ofMinutes(LINK_BY_MAIL_MINUTES);
    /** At most one such mail per account in this time. */
    static final Duration LINK_MAIL_COOLDOWN = Duration.ofMinutes(1);
    /** What a one-time token's payload column holds (VARCHAR(1024) in the JDBC schema). */
    private static final int MAX_PAYLOAD = 1024;

    private final Core core;
    private final IdentityStore store;
    private final BiConsumer<String, String> verificationMail;

    /**
     * Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported).
     *
     * @param verificationMail sends the usual verification mail to an address (and the client
     *                         address it is counted on), when mail is configured: the composition
     *                         root passes {@code Accounts.resendVerification}, so an account created
     *                         by an identity is mailed as one created by a registration
     */
    @SuppressWarnings("exports")
    public Identities(Core core, IdentityStore store, BiConsumer<String, String> verificationMail) {
        this.core = Objects.requireNonNull(core, "core");
        this.store = Objects.requireNonNull(store, "store");
        this.verificationMail = Objects.requireNonNull(verificationMail, "verificationMail");
    }

    /** Signs in with an identity the caller has verified, creating or linking an account as the rules allow. */
    public FederatedSignInResult signIn(VerifiedIdentity identity, String clientAddress) {
        Objects.requireNonNull(identity, "identity");
        if (!storable(identity)) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.IDENTITY_INVALID);
        }
        long generation = core.signIn().begin();
        Optional<IdentityRecord> linked = store.find(identity.issuer(), identity.subject());
        if (linked.isPresent()) {
            return signInLinked(linked.get().userId(), identity, clientAddress, generation, false, false);
        }
        Optional<EmailAddress> email = identity.email().flatMap(EmailAddress::parse);
        if (email.isEmpty()) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_MISSING);
        }
        Optional<StoredUser> owner = core.users().findByEmail(email.get());
        if (owner.isPresent()) {
            return signInExistingAddress(owner.get(), identity, clientAddress, generation);
        }
        StoredUser draft = new StoredUser(UserId.random(), email.get(), NO_PASSWORD, core.clock().instant(),
                identity.emailAuthoritative(), false, Set.of());
        Optional<UserId> id = core.users().insertReturningId(draft);
        if (id.isEmpty()) {
            // An account with this address appeared meanwhile: the same rules as if it had been there.
            return core.users().findByEmail(email.get())
                    .map(u -> signInExistingAddress(u, identity, clientAddress, generation))
                    .orElseGet(FederatedSignInResult.LinkRequired::new);
        }
        StoredUser user = new StoredUser(id.get(), draft.email(), draft.passwordHash(), draft.createdAt(),
                draft.emailVerified(), false, Set.of());
        core.audit().emit(AuthEventType.REGISTERED, user.id(), clientAddress);
        if (!store.insert(record(identity, user.id()))) {
            // A concurrent first sign-in of the same identity won the link; this new account keeps no
            // way in (no password, no identity) and signs nobody in.
            return store.find(identity.issuer(), identity.subject())
                    .map(r -> signInLinked(r.userId(), identity, clientAddress, generation, false, false))
                    .orElseGet(FederatedSignInResult.LinkRequired::new);
        }
        core.audit().emit(AuthEventType.IDENTITY_LINKED, user.id(), clientAddress);
        if (!user.emailVerified()) {
            // As after a registration: the address is the owner's only once the link is followed.
            verificationMail.accept(user.email().display(), clientAddress);
        }
        return complete(user, identity, clientAddress, generation, true, true);
    }

    private FederatedSignInResult signInExistingAddress(StoredUser owner, VerifiedIdentity identity,
                                                        String clientAddress, long generation) {
        if (!identity.emailAuthoritative()) {
            return new FederatedSignInResult.LinkRequired();
        }
        if (owner.disabled()) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.ACCOUNT_DISABLED);
        }
        if (!store.insert(record(identity, owner.id()))) {
            return store.find(identity.issuer(), identity.subject())
                    .map(r -> signInLinked(r.userId(), identity, clientAddress, generation, false, false))
                    .orElseGet(FederatedSignInResult.LinkRequired::new);
        }
        core.audit().emit(AuthEventType.IDENTITY_LINKED, owner.id(), clientAddress);
        notifyLinked(owner.email(), identity);
        StoredUser user = owner;
        if (!owner.emailVerified()) {
            // The provider owns the domain's mailboxes and verified the address: that is the proof a
            // verification mail would have given.
            core.users().markEmailVerified(owner.id());
            user = owner.withEmailVerified(true);
        }
        return complete(user, identity, clientAddress, generation, false, true);
    }

    private FederatedSignInResult signInLinked(UserId userId, VerifiedIdentity identity, String clientAddress,
                                               long generation, boolean created, boolean linked) {
        Optional<StoredUser> user = core.users().findById(userId);
        if (user.isEmpty() || user.get().disabled()) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.ACCOUNT_DISABLED);
        }
        StoredUser found = user.get();
        if (!found.emailVerified() && identity.emailAuthoritative()
                && identity.email().flatMap(EmailAddress::parse).filter(found.email()::equals).isPresent()) {
            // An authoritative provider's verified address is the proof a verification mail gives.
            core.users().markEmailVerified(found.id());
            found = found.withEmailVerified(true);
        }
        return complete(found, identity, clientAddress, generation, created, linked);
    }

    private FederatedSignInResult complete(StoredUser user, VerifiedIdentity identity, String clientAddress,
                                           long generation, boolean created, boolean linked) {
        if (core.credentials().requireVerifiedEmail() && !user.emailVerified()) {
            // The rule of a password sign-in, checked at the same point (before the second factor).
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_NOT_VERIFIED);
        }
        SecondFactorCheck.Requirement needs = identity.secondFactorAtProvider()
                ? SecondFactorCheck.Requirement.NONE : core.factors().requirement(user);
        if (needs == SecondFactorCheck.Requirement.CODE) {
            // The provider proved the first factor; the code step finishes the sign-in, exactly as
            // after a right password (the same pending sign-in, the same completion).
            return new FederatedSignInResult.SecondFactorRequired(
                    core.pendingSignIns().beginPending(user, PendingSignIn.Purpose.SECOND_FACTOR, clientAddress),
                    Set.of(SecondFactor.AUTHENTICATOR_APP, SecondFactor.RECOVERY_CODE), created, linked);
        } else if (needs == SecondFactorCheck.Requirement.ENROLMENT) {
            return new FederatedSignInResult.EnrolmentRequired(
                    core.pendingSignIns().beginPending(user, PendingSignIn.Purpose.ENROLMENT, clientAddress));
        }
        Optional<SignIn.SignedIn> signedIn = core.signIn().complete(user, clientAddress, generation,
                () -> stillLinked(user.id(), identity));
        if (signedIn.isEmpty()) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.ACCOUNT_DISABLED);
        }
        core.audit().emit(AuthEventType.FEDERATED_LOGIN_SUCCEEDED, user.id(), clientAddress);
        return new FederatedSignInResult.SignedIn(signedIn.get().user(), signedIn.get().session(), created, linked);
    }

    /** Re-checked after the session is stored: a disable or unlink that raced with the sign-in withdraws it. */
    private boolean stillLinked(UserId userId, VerifiedIdentity identity) {
        return core.users().findById(userId).map(u -> !u.disabled()).orElse(false)
                && store.find(identity.issuer(), identity.subject()).map(r -> r.userId().equals(userId)).orElse(false);
    }

    /**
     * Links an identity the caller has verified to the session's account: the signed-in owner's
     * proof that both are theirs. The account's address is mailed.
     */
    public LinkResult link(SessionToken session, VerifiedIdentity identity, String clientAddress) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(identity, "identity");
        Optional<CurrentUser> me = core.resolver().currentUser(session);
        if (me.isEmpty()) {
            return new LinkResult.NotSignedIn();
        }
        if (!storable(identity)) {
            return new LinkResult.Invalid();
        }
        IdentityRecord wanted = record(identity, me.get().id());
        if (!store.insert(wanted)) {
            return store.find(identity.issuer(), identity.subject())
                    .<LinkResult>map(r -> r.userId().equals(me.get().id())
                            ? new LinkResult.AlreadyLinked() : new LinkResult.LinkedToAnotherAccount())
                    .orElseGet(LinkResult.AlreadyLinked::new);
        }
        core.audit().emit(AuthEventType.IDENTITY_LINKED, me.get().id(), clientAddress);
        notifyLinked(me.get().email(), identity);
        return new LinkResult.Linked(wanted);
    }

    /**
     * The second proof of ownership, for an identity that {@link #signIn} answered
     * {@link FederatedSignInResult.LinkRequired}: mails the account with the identity's address a
     * one-time link (valid {@value #LINK_BY_MAIL_MINUTES} minutes) to {@code confirmPage}
     * ({@code ?token=} appended) and answers a secret that binds the link to the browser that asked.
     * Following the link proves the mailbox, the identity was proved by the caller: both must meet
     * in one browser, so the owner of the mailbox who clicks a link someone else asked for links
     * nothing. At most one such mail per account per minute, and the client address's
     * mail-request budget is spent as for "forgot password".
     *
     * @param identity    verified by the caller a moment ago (a fresh trip to the provider)
     * @param confirmPage the page that shows the link's confirmation form, e.g.
     *                    {@code https://app.example.com/auth/oidc/google/confirm-link}
     */
    public LinkByMailResult requestLinkByMail(VerifiedIdentity identity, URI confirmPage, String clientAddress) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(confirmPage, "confirmPage");
        if (core.outbox().isEmpty() || core.oneTimeTokens().isEmpty() || !storable(identity)
                || store.find(identity.issuer(), identity.subject()).isPresent()) {
            return new LinkByMailResult.Unavailable();
        }
        Optional<StoredUser> owner = identity.email().flatMap(EmailAddress::parse).flatMap(core.users()::findByEmail)
                .filter(u -> !u.disabled());
        if (owner.isEmpty()) {
            return new LinkByMailResult.Unavailable();
        }
        String browserSecret = core.secrets().next();
        String payload = String.join(".", b64(identity.issuer()), b64(identity.subject()), b64(identity.provider()),
                TokenDigest.of(browserSecret).hex());
        if (payload.length() > MAX_PAYLOAD) {
            return new LinkByMailResult.Unavailable();
        }
        Instant now = core.clock().instant();
        Optional<Duration> wait = core.throttle().spendMailRequest(clientAddress, now);
        if (wait.isPresent()) {
            return new LinkByMailResult.Throttled(wait.get());
        }
        String key = "mail:" + TokenDigest.of("mail:link-identity:" + owner.get().id().value()).hex();
        if (core.attempts().recordFailure(key, now, now.minus(LINK_MAIL_COOLDOWN).plusNanos(1)).failures() != 1) {
            return new LinkByMailResult.Throttled(LINK_MAIL_COOLDOWN);
        }
        String token = core.secrets().next();
        core.oneTimeTokens().get().insert(new OneTimeTokenRecord(TokenDigest.of(token), owner.get().id(),
                TokenPurpose.LINK_IDENTITY, now, now.plus(LINK_BY_MAIL_LIFETIME), AccountFingerprint.binding(owner.get()),
                payload));
        String base = confirmPage.toString();
        URI link = URI.create(base + (base.contains("?") ? "&" : "?") + "token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        core.outbox().get().send(new AccountMail.ConfirmIdentityLink(owner.get().email(), identity.provider(), link,
                LINK_BY_MAIL_LIFETIME));
        return new LinkByMailResult.Sent(browserSecret, LINK_BY_MAIL_LIFETIME);
    }

    /**
     * Follows a link of {@link #requestLinkByMail} in the browser that asked for it
     * ({@code browserSecret} from its cookie): links the identity to the account, mails the owner,
     * marks the address verified (the mailbox was just proved) and signs in — with the code step
     * first when the account has a second factor, as for any external sign-in. The link is spent
     * only when the browser is the right one, so opening it elsewhere does not waste it.
     */
    public FederatedSignInResult confirmLinkByMail(String token, String browserSecret, String clientAddress) {
        long generation = core.signIn().begin();
        FederatedSignInResult invalid = new FederatedSignInResult.Refused(FederatedSignInResult.Reason.LINK_INVALID);
        Optional<TokenDigest> id = Optional.ofNullable(token).flatMap(SessionToken::parse).map(SessionToken::digest);
        if (id.isEmpty() || browserSecret == null || browserSecret.isEmpty() || core.oneTimeTokens().isEmpty()) {
            return invalid;
        }
        Instant now = core.clock().instant();
        Optional<OneTimeTokenRecord> found = core.oneTimeTokens().get().find(id.get())
                .filter(r -> r.purpose() == TokenPurpose.LINK_IDENTITY && now.isBefore(r.expiresAt()));
        String[] parts = found.map(r -> r.payload().split("\\.", -1)).orElse(new String[0]);
        if (parts.length != 4 || !Secrets.constantTimeEquals(parts[3], TokenDigest.of(browserSecret).hex())) {
            return invalid;
        }
        if (core.oneTimeTokens().get().consume(id.get(), TokenPurpose.LINK_IDENTITY).isEmpty()) {
            return invalid; // a racing confirmation spent it first
        }
        Optional<StoredUser> owner = core.users().findById(found.get().userId()).filter(u -> !u.disabled())
                .filter(u -> AccountFingerprint.bindingMatches(u, found.get().binding()));
        if (owner.isEmpty()) {
            return invalid;
        }
        VerifiedIdentity identity = new VerifiedIdentity(unb64(parts[0]), unb64(parts[1]), unb64(parts[2]),
                Optional.of(owner.get().email().display()), false, Set.of(), false, List.of());
        if (!store.insert(record(identity, owner.get().id()))) {
            boolean ours = store.find(identity.issuer(), identity.subject())
                    .map(r -> r.userId().equals(owner.get().id())).orElse(false);
            if (!ours) {
                return invalid;
            }
        } else {
            core.audit().emit(AuthEventType.IDENTITY_LINKED, owner.get().id(), clientAddress);
            notifyLinked(owner.get().email(), identity);
        }
        StoredUser user = owner.get();
        if (!user.emailVerified()) {
            core.users().markEmailVerified(user.id());
            user = user.withEmailVerified(true);
        }
        return complete(user, identity, clientAddress, generation, false, true);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** Unlinks an identity from the session's account, unless it is the account's last way in. */
    public UnlinkResult unlink(SessionToken session, String issuer, String subject, String clientAddress) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Optional<CurrentUser> me = core.resolver().currentUser(session);
        if (me.isEmpty()) {
            return new UnlinkResult.NotSignedIn();
        }
        UserId id = me.get().id();
        Optional<IdentityRecord> found = store.find(issuer, subject);
        if (found.isEmpty() || !found.get().userId().equals(id)) {
            return new UnlinkResult.NotLinked();
        }
        if (!store.delete(id, issuer, subject, !hasPassword(id))) {
            return store.find(issuer, subject).isPresent()
                    ? new UnlinkResult.LastSignInMethod() : new UnlinkResult.NotLinked();
        }
        core.audit().emit(AuthEventType.IDENTITY_UNLINKED, id, clientAddress);
        return new UnlinkResult.Unlinked();
    }

    /** The identities linked to the account, oldest first. */
    public List<IdentityRecord> linked(UserId userId) {
        return store.findAllForUser(Objects.requireNonNull(userId, "userId"));
    }

    /** Whether the account has a usable password (else its identities are its only way in). */
    public boolean hasPassword(UserId userId) {
        return core.users().findById(Objects.requireNonNull(userId, "userId"))
                .map(u -> core.hasher().supports(u.passwordHash())).orElse(false);
    }

    private void notifyLinked(EmailAddress to, VerifiedIdentity identity) {
        core.outbox().ifPresent(o -> o.send(new AccountMail.IdentityLinked(to, identity.provider())));
    }

    private IdentityRecord record(VerifiedIdentity identity, UserId userId) {
        Optional<String> email = identity.email().filter(e -> e.length() <= IdentityRecord.MAX_EMAIL_LENGTH);
        return new IdentityRecord(identity.issuer(), identity.subject(), userId, email, core.clock().instant());
    }

    private static boolean storable(VerifiedIdentity identity) {
        return !identity.issuer().isEmpty() && identity.issuer().length() <= IdentityRecord.MAX_ISSUER_LENGTH
                && !identity.subject().isEmpty() && identity.subject().length() <= IdentityRecord.MAX_SUBJECT_LENGTH;
    }
}
