package dev.portcullis.identity;

import dev.portcullis.internal.Core;
import dev.portcullis.internal.SignIn;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.IdentityStore;
import dev.portcullis.spi.StoredUser;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

    private final Core core;
    private final IdentityStore store;

    /** Not API: built by {@code Portcullis.Builder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public Identities(Core core, IdentityStore store) {
        this.core = Objects.requireNonNull(core, "core");
        this.store = Objects.requireNonNull(store, "store");
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
        return complete(user.get(), identity, clientAddress, generation, created, linked);
    }

    private FederatedSignInResult complete(StoredUser user, VerifiedIdentity identity, String clientAddress,
                                           long generation, boolean created, boolean linked) {
        if (secondFactorRequired(user, identity)) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.SECOND_FACTOR_REQUIRED);
        }
        Optional<SignIn.SignedIn> signedIn = core.signIn().complete(user, clientAddress, generation,
                () -> stillLinked(user.id(), identity));
        if (signedIn.isEmpty()) {
            return new FederatedSignInResult.Refused(FederatedSignInResult.Reason.ACCOUNT_DISABLED);
        }
        core.audit().emit(AuthEventType.FEDERATED_LOGIN_SUCCEEDED, user.id(), clientAddress);
        return new FederatedSignInResult.SignedIn(signedIn.get().user(), signedIn.get().session(), created, linked);
    }

    /**
     * An external sign-in is a first factor: an enrolled local second factor is required unless {@link VerifiedIdentity#secondFactorAtProvider()} (the application trusts the provider's
     * acr/amr). Such a
     * sign-in is refused rather than continued at a code step from here (a seam left for later:
     * the pending sign-in is bound to a password proof).
     */
    private boolean secondFactorRequired(StoredUser user, VerifiedIdentity identity) {
        return core.factors().enabled() && core.factors().enrolled(user.id()) && !identity.secondFactorAtProvider();
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
