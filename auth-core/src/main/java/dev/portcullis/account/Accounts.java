package dev.portcullis.account;

import dev.portcullis.Portcullis;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.SignIn;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.internal.CredentialCheck.Outcome;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TokenPurpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The account's life: registration (immediate or verify-first), email verification, password and
 * address change with re-authentication, disable, enable, roles. Obtain it from
 * {@code Portcullis.accounts()}. Passwords inside the inputs are wiped when a method returns.
 * Immutable and thread-safe.
 */
public final class Accounts {

    static final String INVALID_EMAIL = "Enter a valid email address, like name@example.com.";
    static final String MIXED_SCRIPTS = "Use the letters of one alphabet before the @: an address that mixes them"
            + " (such as Latin and Cyrillic) can imitate another one.";
    private static final String WRONG_PASSWORD = "Your current password is not correct.";

    private final Core core;
    private final Optional<LinkMail> mail;
    private final RegistrationMode registrationMode;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public Accounts(Core core, Optional<MailSettings> mail, RegistrationMode registrationMode) {
        this.core = Objects.requireNonNull(core, "core");
        this.mail = LinkMail.of(core, mail);
        this.registrationMode = Objects.requireNonNull(registrationMode, "registrationMode");
    }

    /** Whether mail is configured, i.e. verification and email change are available. */
    public boolean mailEnabled() {
        return mail.isPresent();
    }

    /** Where the mailed links point, when mail is configured: the one source of those page paths. */
    public Optional<AccountLinks> links() {
        return mail.map(LinkMail::links);
    }

    public PasswordPolicy passwordPolicy() {
        return core.passwordPolicy();
    }

    /**
     * Creates an account and signs its owner in ({@link RegistrationResult.Registered}); in
     * {@link RegistrationMode#VERIFY_FIRST} answers {@link RegistrationResult.VerificationSent} for
     * new and taken addresses alike. The password must pass the {@link PasswordPolicy} and match
     * its confirmation; an address whose local part mixes scripts (a possible look-alike of
     * another, see {@link EmailAddress#localPartMixesScripts()}) is refused.
     */
    public RegistrationResult register(Registration form, String clientAddress) {
        Objects.requireNonNull(form, "form");
        try (RawPassword password = form.password(); RawPassword confirm = form.confirmPassword()) {
            FieldErrors.Collector errors = new FieldErrors.Collector();
            core.validator().validate(form, errors);
            Optional<EmailAddress> email = Optional.empty();
            if (!errors.has("email")) {
                email = EmailAddress.parse(form.email());
                if (email.isEmpty()) {
                    errors.add("email", INVALID_EMAIL);
                } else if (email.get().localPartMixesScripts()) {
                    errors.add("email", MIXED_SCRIPTS);
                }
            }
            if (!errors.has("password")) {
                List<String> context = new ArrayList<>(List.of(core.serviceName()));
                email.ifPresent(e -> context.add(e.localPart()));
                core.passwordPolicy().check(password, context).forEach(m -> errors.add("password", m));
            }
            if (!errors.has("password") && !errors.has("confirmPassword") && !password.sameAs(confirm)) {
                errors.add("confirmPassword", "The passwords do not match.");
            }
            if (!errors.isEmpty()) {
                return new RegistrationResult.Invalid(errors.toErrors());
            }
            // Counted before the lookup and the hashing, taken or new: a prober learns as much from either.
            Optional<Duration> wait = core.throttle().spendRegistration(clientAddress, core.clock().instant());
            if (wait.isPresent()) {
                return new RegistrationResult.Throttled(wait.get());
            }
            EmailAddress address = email.orElseThrow();
            if (registrationMode == RegistrationMode.VERIFY_FIRST) {
                return registerVerifyFirst(mail.orElseThrow(), address, password, clientAddress);
            }
            if (core.users().findByEmail(address).isPresent()) {
                return new RegistrationResult.EmailTaken();
            }
            Optional<PasswordHash> hash = core.gate().run(() -> core.hasher().hash(password));
            if (hash.isEmpty()) {
                return new RegistrationResult.Busy(core.gate().retryAfter());
            }
            StoredUser draft = new StoredUser(UserId.random(), address, hash.get(), core.clock().instant(), false, false,
                    Set.of());
            Optional<UserId> id = core.users().insertReturningId(draft);
            if (id.isEmpty()) {
                return new RegistrationResult.EmailTaken();
            }
            StoredUser user = withId(draft, id.get());
            core.audit().emit(AuthEventType.REGISTERED, user.id(), clientAddress);
            mail.ifPresent(m -> m.outbox().later(() -> m.sendVerification(user)));
            SignIn.SignedIn signedIn = core.signIn().complete(user, clientAddress);
            return new RegistrationResult.Registered(signedIn.user(), signedIn.session());
        }
    }

    /**
     * Hashes for every address; everything that differs between new and taken addresses (the
     * insert, the mails) runs off the request thread, so neither answer nor timing tells them apart.
     */
    private RegistrationResult registerVerifyFirst(LinkMail m, EmailAddress address, RawPassword password,
                                                   String clientAddress) {
        Optional<PasswordHash> hash = core.gate().run(() -> core.hasher().hash(password));
        if (hash.isEmpty()) {
            return new RegistrationResult.Busy(core.gate().retryAfter());
        }
        Instant now = core.clock().instant();
        m.outbox().later(() -> {
            StoredUser draft = new StoredUser(UserId.random(), address, hash.get(), now, false, false, Set.of());
            Optional<UserId> id = core.users().insertReturningId(draft);
            if (id.isPresent()) {
                StoredUser fresh = withId(draft, id.get());
                core.audit().emit(AuthEventType.REGISTERED, fresh.id(), clientAddress);
                m.sendVerification(fresh);
                return;
            }
            core.users().findByEmail(address).ifPresent(owner -> {
                if (!owner.emailVerified() && !owner.disabled()) {
                    // A pending sign-up is taken over by the newest one: whoever follows the link
                    // verifies the password chosen last, and earlier links die with the old hash.
                    core.users().updatePasswordHash(owner.id(), hash.get());
                    if (m.cooldownPassed(owner.id(), "verify")) {
                        m.sendVerification(owner.withPasswordHash(hash.get()));
                    }
                } else if (m.cooldownPassed(owner.id(), "registration-attempt")) {
                    m.outbox().send(new AccountMail.RegistrationAttempted(owner.email(),
                            m.links().page(m.links().loginPath()), m.links().page(m.links().forgotPasswordPath())));
                }
            });
        });
        return new RegistrationResult.VerificationSent();
    }

    /**
     * Marks the address of the token's account as verified. The token must be unused, unexpired,
     * for this purpose, and issued for the address and password the account still has.
     */
    public EmailVerificationResult verifyEmail(String token) {
        Optional<StoredUser> user = mail.flatMap(m -> m.consume(token, TokenPurpose.VERIFY_EMAIL))
                .flatMap(r -> boundUser(r, false));
        if (user.isEmpty()) {
            return new EmailVerificationResult.InvalidOrExpired();
        }
        core.users().markEmailVerified(user.get().id());
        core.audit().emit(AuthEventType.EMAIL_VERIFIED, user.get().id(), "");
        return new EmailVerificationResult.Verified(user.get().id());
    }

    /**
     * Sends a new verification mail if the address belongs to an unverified account and the
     * cooldown has passed. Answers the same in every case, but {@link MailRequestResult.Throttled}
     * when the client address has used up its mail-request budget.
     */
    public MailRequestResult resendVerification(String email, String clientAddress) {
        LinkMail m = requireMail();
        Optional<EmailAddress> address = EmailAddress.parse(email);
        if (address.isEmpty()) {
            return new MailRequestResult.Invalid(FieldErrors.of("email", INVALID_EMAIL));
        }
        Optional<Duration> wait = core.throttle().spendMailRequest(clientAddress, core.clock().instant());
        if (wait.isPresent()) {
            return new MailRequestResult.Throttled(wait.get());
        }
        m.outbox().later(() -> core.users().findByEmail(address.get())
                .filter(u -> !u.emailVerified() && !u.disabled())
                .filter(u -> m.cooldownPassed(u.id(), "verify"))
                .ifPresent(m::sendVerification));
        return new MailRequestResult.Accepted();
    }

    /**
     * As {@link #resendVerification(String, String)} without a client address, so without the
     * per-address budget.
     *
     * @deprecated pass the client address, so that one client cannot make the service mail many
     *     addresses
     */
    @Deprecated
    public MailRequestResult resendVerification(String email) {
        return resendVerification(email, "");
    }

    /**
     * Changes the password of the session's user after re-authenticating with the current one,
     * and ends every credential of that user, this session included; the result carries a fresh
     * session (a new id on a privilege change). Wrong current passwords count toward the account's
     * throttle, reserved before the verify like a login's. For an account with a second factor the
     * session must also have proved it within the step-up window, else
     * {@link ChangePasswordResult.ReauthenticationRequired} (checked before the password).
     */
    public ChangePasswordResult changePassword(SessionToken session, PasswordChange change, String clientAddress) {
        Objects.requireNonNull(change, "change");
        try (RawPassword current = change.currentPassword(); RawPassword fresh = change.newPassword();
             RawPassword confirm = change.confirmPassword()) {
            Optional<CurrentUser> me = core.resolver().currentUser(Objects.requireNonNull(session, "session"));
            if (me.isEmpty()) {
                return new ChangePasswordResult.NotAuthenticated();
            }
            FieldErrors.Collector errors = new FieldErrors.Collector();
            core.validator().validate(change, errors);
            if (!errors.has("currentPassword") && current.isEmpty()) {
                errors.add("currentPassword", "Enter your current password.");
            }
            if (!errors.has("newPassword")) {
                core.passwordPolicy().check(fresh, List.of(core.serviceName(), me.get().email().localPart()))
                        .forEach(m -> errors.add("newPassword", m));
            }
            if (!errors.has("newPassword") && !errors.has("confirmPassword") && !fresh.sameAs(confirm)) {
                errors.add("confirmPassword", "The passwords do not match.");
            }
            if (!errors.isEmpty()) {
                return new ChangePasswordResult.Invalid(errors.toErrors());
            }
            // The current password is the password's fresh proof; an account with a second factor
            // must also have proved it within the step-up window.
            if (!core.stepUp().freshness(session, true).fresh()) {
                return new ChangePasswordResult.ReauthenticationRequired();
            }
            Instant secondFactorAt = core.sessions().find(session.digest()).map(r -> r.secondFactorAt()).orElse(null);
            Outcome outcome = core.credentials().reauthenticate(me.get().id(), me.get().email(), current, clientAddress);
            if (!(outcome instanceof Outcome.Verified ok)) {
                return outcome instanceof Outcome.Throttled t ? new ChangePasswordResult.Throttled(t.retryAfter())
                        : outcome instanceof Outcome.Busy b ? new ChangePasswordResult.Busy(b.retryAfter())
                        : outcome instanceof Outcome.NoAccount ? new ChangePasswordResult.NotAuthenticated()
                        : new ChangePasswordResult.Invalid(FieldErrors.of("currentPassword", WRONG_PASSWORD));
            }
            StoredUser user = ok.user();
            Optional<PasswordHash> hash = core.gate().run(() -> core.hasher().hash(fresh));
            if (hash.isEmpty()) {
                return new ChangePasswordResult.Busy(core.gate().retryAfter());
            }
            core.users().updatePasswordHash(user.id(), hash.get());
            int ended = core.revocation().revokeAll(user.id(), Optional.of(session.digest()));
            core.sessions().delete(session.digest());
            core.audit().emit(AuthEventType.PASSWORD_CHANGED, user.id(), clientAddress);
            SignIn.SignedIn signedIn = core.signIn().complete(user.withPasswordHash(hash.get()), clientAddress,
                    new SignIn.Proofs(core.clock().instant(), secondFactorAt));
            return new ChangePasswordResult.Changed(ended, signedIn.session());
        }
    }

    /**
     * Asks to change the session user's address: a confirmation link goes to the new address and
     * a notice to the current one; nothing changes until the link is followed. A new address that
     * another account holds gets no mail, and the answer does not say so. The current password is
     * required (OWASP ASVS V6): a hijacked session alone must not be able to move the account to an
     * attacker's address and then reset the password. A new address whose local part mixes
     * scripts is refused, as at registration. For an account with a second factor the session must
     * also have proved it within the step-up window, else
     * {@link EmailChangeResult.ReauthenticationRequired}.
     *
     * @throws IllegalStateException when mail is not configured
     */
    public EmailChangeResult requestEmailChange(SessionToken session, String newEmail, RawPassword currentPassword,
                                                String clientAddress) {
        LinkMail m = requireMail();
        try (RawPassword current = currentPassword) {
            Optional<CurrentUser> me = core.resolver().currentUser(Objects.requireNonNull(session, "session"));
            if (me.isEmpty()) {
                return new EmailChangeResult.NotAuthenticated();
            }
            FieldErrors.Collector errors = new FieldErrors.Collector();
            Optional<EmailAddress> address = EmailAddress.parse(newEmail);
            if (newEmail == null || newEmail.isBlank()) {
                errors.add("email", "Enter your new email address.");
            } else if (address.isEmpty()) {
                errors.add("email", INVALID_EMAIL);
            } else if (address.get().equals(me.get().email())) {
                errors.add("email", "That is already your email address.");
            } else if (address.get().localPartMixesScripts()) {
                errors.add("email", MIXED_SCRIPTS);
            }
            if (current == null || current.isEmpty()) {
                errors.add("currentPassword", "Enter your current password.");
            }
            if (!errors.isEmpty()) {
                return new EmailChangeResult.Invalid(errors.toErrors());
            }
            if (!core.stepUp().freshness(session, true).fresh()) {
                return new EmailChangeResult.ReauthenticationRequired();
            }
            Optional<Duration> wait = core.throttle().spendMailRequest(clientAddress, core.clock().instant());
            if (wait.isPresent()) {
                return new EmailChangeResult.Throttled(wait.get());
            }
            Outcome outcome = core.credentials().reauthenticate(me.get().id(), me.get().email(), current, clientAddress);
            if (!(outcome instanceof Outcome.Verified)) {
                return outcome instanceof Outcome.Throttled t ? new EmailChangeResult.Throttled(t.retryAfter())
                        : outcome instanceof Outcome.Busy b ? new EmailChangeResult.Busy(b.retryAfter())
                        : new EmailChangeResult.Invalid(FieldErrors.of("currentPassword", WRONG_PASSWORD));
            }
            UserId id = me.get().id();
            EmailAddress target = address.get();
            m.outbox().later(() -> core.users().findById(id)
                    .filter(u -> core.users().findByEmail(target).isEmpty())
                    .filter(u -> m.cooldownPassed(u.id(), "email-change"))
                    .ifPresent(u -> {
                        String token = m.issue(u, TokenPurpose.CONFIRM_EMAIL_CHANGE,
                                m.lifetimes().confirmEmailChange(), target.display());
                        m.outbox().send(new AccountMail.ConfirmEmailChange(target,
                                m.links().withToken(m.links().confirmEmailChangePath(), token),
                                m.lifetimes().confirmEmailChange()));
                        m.outbox().send(new AccountMail.EmailChangeRequested(u.email(), target));
                    }));
            core.audit().emit(AuthEventType.EMAIL_CHANGE_REQUESTED, id, clientAddress);
            return new EmailChangeResult.ConfirmationSent();
        }
    }

    /**
     * Completes an email change from the link mailed to the new address. Uniqueness still holds;
     * the new address counts as verified; every session of the user ends.
     */
    public ConfirmEmailChangeResult confirmEmailChange(String token, String clientAddress) {
        Optional<OneTimeTokenRecord> record = mail.flatMap(m -> m.consume(token, TokenPurpose.CONFIRM_EMAIL_CHANGE));
        Optional<StoredUser> user = record.flatMap(r -> boundUser(r, true));
        Optional<EmailAddress> newEmail = record.flatMap(r -> EmailAddress.parse(r.payload()));
        if (user.isEmpty() || newEmail.isEmpty()) {
            return new ConfirmEmailChangeResult.InvalidOrExpired();
        }
        StoredUser u = user.get();
        if (!core.users().updateEmail(u.id(), newEmail.get(), true)) {
            return new ConfirmEmailChangeResult.EmailTaken();
        }
        core.revocation().revokeAll(u.id(), Optional.empty());
        LinkMail m = mail.orElseThrow();
        m.tokens().deleteAllForUser(u.id(), TokenPurpose.RESET_PASSWORD);
        core.audit().emit(AuthEventType.EMAIL_CHANGED, u.id(), clientAddress);
        m.outbox().later(() -> m.outbox().send(new AccountMail.EmailChanged(u.email(), newEmail.get())));
        return new ConfirmEmailChangeResult.Changed(u.id(), newEmail.get());
    }

    private Optional<StoredUser> boundUser(OneTimeTokenRecord record, boolean enabledOnly) {
        return core.users().findById(record.userId())
                .filter(u -> !(enabledOnly && u.disabled()))
                .filter(u -> dev.portcullis.internal.AccountFingerprint.bindingMatches(u, record.binding()));
    }

    /** Disables the account and ends every credential of it; it can no longer sign in. */
    public void disable(UserId userId, String clientAddress) {
        core.users().setDisabled(Objects.requireNonNull(userId, "userId"), true);
        core.revocation().revokeAll(userId, Optional.empty());
        core.audit().emit(AuthEventType.ACCOUNT_DISABLED, userId, clientAddress);
    }

    /** Re-enables a disabled account. */
    public void enable(UserId userId) {
        core.users().setDisabled(Objects.requireNonNull(userId, "userId"), false);
    }

    /** Grants roles (replacing the previous set) for {@code isUserInRole}-style checks. */
    public void setRoles(UserId userId, Set<String> roles) {
        core.users().setRoles(Objects.requireNonNull(userId, "userId"), Set.copyOf(roles));
    }

    /** The account under the id its store gave it (a database-assigned key on a mapped table). */
    private static StoredUser withId(StoredUser user, UserId id) {
        return id.equals(user.id()) ? user : new StoredUser(id, user.email(), user.passwordHash(), user.createdAt(),
                user.emailVerified(), user.disabled(), user.roles());
    }

    private LinkMail requireMail() {
        return mail.orElseThrow(() -> new IllegalStateException(
                "mail is not configured: call Portcullis.builder().mail(MailSettings.of(mailer, links))"));
    }
}
