package dev.portcullis;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TokenPurpose;
import dev.portcullis.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The account flows that go through a mailed link: email verification (with the mail side of
 * verify-first registration), password reset and email change. {@link Portcullis} documents their
 * contracts on its public methods and delegates here; what belongs to the facade (who is logged in,
 * revoking credentials, audit events) is reached through {@link Facade}. Passwords passed in are
 * not wiped here: the facade wipes them when its use case returns. Immutable and thread-safe.
 */
final class AccountMailFlows {

    /** What the flows leave to the facade. */
    interface Facade {

        Optional<CurrentUser> currentUser(SessionToken session);

        /** Ends every session, remember-me token and revoker-managed credential of the user. */
        void revokeAllCredentials(UserId userId);

        void emit(AuthEventType type, Optional<UserId> userId, String clientAddress);
    }

    /**
     * Collaborators the facade uses too. They must be the facade's own instances: the same hashing
     * limit and throttle, and a {@code users} store whose changes invalidate its lookup cache.
     */
    record Shared(UserStore users, Clock clock, SecretTokens tokens, PasswordHasher hasher, HashingGate gate,
                  Throttle throttle, PasswordPolicy passwordPolicy, String serviceName,
                  CurrentPasswordCheck currentPasswordCheck) {
    }

    private final UserStore users;
    private final Clock clock;
    private final SecretTokens tokens;
    private final PasswordHasher hasher;
    private final HashingGate gate;
    private final Throttle throttle;
    private final PasswordPolicy passwordPolicy;
    private final CurrentPasswordCheck currentPasswordCheck;
    private final String serviceName;
    private final Optional<MailOutbox> outbox;
    private final Optional<OneTimeTokenStore> oneTimeTokens;
    private final Optional<AccountLinks> links;
    private final TokenLifetimes lifetimes;
    private final AttemptStore attempts;
    private final Facade facade;

    AccountMailFlows(Shared shared, Optional<MailOutbox> outbox, Optional<OneTimeTokenStore> oneTimeTokens,
                     Optional<AccountLinks> links, TokenLifetimes lifetimes, AttemptStore attempts, Facade facade) {
        this.users = shared.users();
        this.clock = shared.clock();
        this.tokens = shared.tokens();
        this.hasher = shared.hasher();
        this.gate = shared.gate();
        this.throttle = shared.throttle();
        this.passwordPolicy = shared.passwordPolicy();
        this.serviceName = shared.serviceName();
        this.currentPasswordCheck = shared.currentPasswordCheck();
        this.outbox = outbox;
        this.oneTimeTokens = oneTimeTokens;
        this.links = links;
        this.lifetimes = lifetimes;
        this.attempts = attempts;
        this.facade = facade;
    }

    /**
     * The mail side of {@link RegistrationMode#VERIFY_FIRST}, for a form that already passed
     * validation.
     */
    RegistrationResult registerVerifyFirst(EmailAddress address, RawPassword password, String clientAddress) {
        MailOutbox mail = outbox.orElseThrow();
        // Hash for every address; everything that differs between new and taken addresses (the
        // insert, the mails) runs off the request thread, so neither answer nor timing tells them apart.
        Optional<PasswordHash> hash = gate.run(() -> hasher.hash(password));
        if (hash.isEmpty()) {
            return new RegistrationResult.Busy(gate.retryAfter());
        }
        Instant now = clock.instant();
        mail.later(() -> {
            StoredUser fresh = new StoredUser(UserId.random(), address, hash.get(), now, false, false, Set.of());
            if (users.insert(fresh)) {
                facade.emit(AuthEventType.REGISTERED, Optional.of(fresh.id()), clientAddress);
                sendVerification(fresh);
                return;
            }
            users.findByEmail(address).ifPresent(owner -> {
                if (!owner.emailVerified() && !owner.disabled()) {
                    // A pending sign-up is taken over by the newest one: whoever follows the link
                    // verifies the password chosen last, and earlier links die with the old hash.
                    users.updatePasswordHash(owner.id(), hash.get());
                    if (cooldownPassed(owner.id(), "verify")) {
                        sendVerification(owner.withPasswordHash(hash.get()));
                    }
                } else if (cooldownPassed(owner.id(), "registration-attempt")) {
                    mail.send(new AccountMail.RegistrationAttempted(owner.email(),
                            links().page(links().loginPath()), links().page(links().forgotPasswordPath())));
                }
            });
        });
        return new RegistrationResult.VerificationSent();
    }

    /** Mails a verification link off the request thread; does nothing without a mailer. */
    void verifyLater(StoredUser user) {
        outbox.ifPresent(o -> o.later(() -> sendVerification(user)));
    }

    private void sendVerification(StoredUser user) {
        String token = issueToken(user, TokenPurpose.VERIFY_EMAIL, lifetimes.verifyEmail(), "");
        outbox.orElseThrow().send(new AccountMail.VerifyEmail(user.email(),
                links().withToken(links().verifyEmailPath(), token), lifetimes.verifyEmail()));
    }

    EmailVerificationResult verifyEmail(String token) {
        Optional<OneTimeTokenRecord> record = oneTimeTokens.flatMap(store -> secretDigest(token)
                .flatMap(id -> store.consume(id, TokenPurpose.VERIFY_EMAIL)));
        Optional<StoredUser> user = record.filter(r -> clock.instant().isBefore(r.expiresAt()))
                .flatMap(r -> users.findById(r.userId()).filter(u -> bindingMatches(u, r)));
        if (user.isEmpty()) {
            return new EmailVerificationResult.InvalidOrExpired();
        }
        users.markEmailVerified(user.get().id());
        facade.emit(AuthEventType.EMAIL_VERIFIED, Optional.of(user.get().id()), "");
        return new EmailVerificationResult.Verified(user.get().id());
    }

    MailRequestResult resendVerification(String email) {
        requireMail();
        Optional<EmailAddress> address = EmailAddress.parse(email);
        if (address.isEmpty()) {
            return new MailRequestResult.Invalid(FieldErrors.of("email", "Enter a valid email address, like name@example.com."));
        }
        outbox.get().later(() -> users.findByEmail(address.get())
                .filter(u -> !u.emailVerified() && !u.disabled())
                .filter(u -> cooldownPassed(u.id(), "verify"))
                .ifPresent(this::sendVerification));
        return new MailRequestResult.Accepted();
    }

    MailRequestResult requestPasswordReset(String email, String clientAddress) {
        requireMail();
        Optional<EmailAddress> address = EmailAddress.parse(email);
        if (address.isEmpty()) {
            return new MailRequestResult.Invalid(FieldErrors.of("email", "Enter a valid email address, like name@example.com."));
        }
        outbox.get().later(() -> users.findByEmail(address.get())
                .filter(u -> !u.disabled())
                .filter(u -> cooldownPassed(u.id(), "reset"))
                .ifPresent(u -> {
                    String token = issueToken(u, TokenPurpose.RESET_PASSWORD, lifetimes.resetPassword(), "");
                    facade.emit(AuthEventType.PASSWORD_RESET_REQUESTED, Optional.of(u.id()), clientAddress);
                    outbox.get().send(new AccountMail.PasswordReset(u.email(),
                            links().withToken(links().resetPasswordPath(), token), lifetimes.resetPassword()));
                }));
        return new MailRequestResult.Accepted();
    }

    boolean isResetTokenValid(String token) {
        return findUsable(token, TokenPurpose.RESET_PASSWORD).isPresent();
    }

    PasswordResetResult resetPassword(String token, RawPassword password, RawPassword confirmPassword,
                                      String clientAddress) {
        Optional<UserAndToken> found = findUsable(token, TokenPurpose.RESET_PASSWORD);
        if (found.isEmpty()) {
            return new PasswordResetResult.InvalidOrExpired();
        }
        StoredUser user = found.get().user();
        FieldErrors.Collector errors = new FieldErrors.Collector();
        if (password == null) {
            errors.add("password", "Enter a new password.");
        } else {
            passwordPolicy.check(password, List.of(serviceName, user.email().localPart()))
                    .forEach(m -> errors.add("password", m));
            if (!errors.has("password") && (confirmPassword == null || !password.sameAs(confirmPassword))) {
                errors.add("confirmPassword", "The passwords do not match.");
            }
        }
        if (!errors.isEmpty()) {
            return new PasswordResetResult.Invalid(errors.toErrors());
        }
        Optional<PasswordHash> hash = gate.run(() -> hasher.hash(password));
        if (hash.isEmpty()) {
            return new PasswordResetResult.Busy(gate.retryAfter());
        }
        OneTimeTokenStore store = oneTimeTokens.orElseThrow();
        if (store.consume(found.get().record().id(), TokenPurpose.RESET_PASSWORD).isEmpty()) {
            return new PasswordResetResult.InvalidOrExpired();
        }
        users.updatePasswordHash(user.id(), hash.get());
        if (!user.emailVerified()) {
            users.markEmailVerified(user.id()); // following the mailed link proves control of the address
        }
        store.deleteAllForUser(user.id(), TokenPurpose.RESET_PASSWORD);
        store.deleteAllForUser(user.id(), TokenPurpose.CONFIRM_EMAIL_CHANGE);
        facade.revokeAllCredentials(user.id());
        throttle.recordSuccess(Throttle.accountKey(user.email()));
        facade.emit(AuthEventType.PASSWORD_RESET, Optional.of(user.id()), clientAddress);
        outbox.orElseThrow().later(() -> outbox.get().send(new AccountMail.PasswordChanged(user.email())));
        return new PasswordResetResult.Reset(user.id());
    }

    /** Needs mail: the facade calls {@link #requireMail()} first. */
    EmailChangeResult requestEmailChange(SessionToken session, String newEmail, RawPassword currentPassword,
                                         String clientAddress) {
        Optional<CurrentUser> me = facade.currentUser(session);
        if (me.isEmpty()) {
            return new EmailChangeResult.NotAuthenticated();
        }
        FieldErrors.Collector errors = new FieldErrors.Collector();
        Optional<EmailAddress> address = EmailAddress.parse(newEmail);
        if (newEmail == null || newEmail.isBlank()) {
            errors.add("email", "Enter your new email address.");
        } else if (address.isEmpty()) {
            errors.add("email", "Enter a valid email address, like name@example.com.");
        } else if (address.get().equals(me.get().email())) {
            errors.add("email", "That is already your email address.");
        }
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.add("currentPassword", "Enter your current password.");
        }
        if (!errors.isEmpty()) {
            return new EmailChangeResult.Invalid(errors.toErrors());
        }
        Optional<EmailChangeResult> refused = reauthenticate(me.get(), currentPassword, clientAddress);
        if (refused.isPresent()) {
            return refused.get();
        }
        UserId id = me.get().id();
        outbox.get().later(() -> users.findById(id)
                .filter(u -> users.findByEmail(address.get()).isEmpty())
                .filter(u -> cooldownPassed(u.id(), "email-change"))
                .ifPresent(u -> {
                    String token = issueToken(u, TokenPurpose.CONFIRM_EMAIL_CHANGE, lifetimes.confirmEmailChange(),
                            address.get().display());
                    outbox.get().send(new AccountMail.ConfirmEmailChange(address.get(),
                            links().withToken(links().confirmEmailChangePath(), token), lifetimes.confirmEmailChange()));
                    outbox.get().send(new AccountMail.EmailChangeRequested(u.email(), address.get()));
                }));
        facade.emit(AuthEventType.EMAIL_CHANGE_REQUESTED, Optional.of(id), clientAddress);
        return new EmailChangeResult.ConfirmationSent();
    }

    /** Checks the current password of a logged-in user; empty when it is right. */
    private Optional<EmailChangeResult> reauthenticate(CurrentUser me, RawPassword password, String clientAddress) {
        CurrentPasswordCheck.Outcome outcome = currentPasswordCheck.check(me, password, clientAddress);
        if (outcome instanceof CurrentPasswordCheck.Outcome.Throttled t) {
            return Optional.of(new EmailChangeResult.Throttled(t.retryAfter()));
        } else if (outcome instanceof CurrentPasswordCheck.Outcome.Busy b) {
            return Optional.of(new EmailChangeResult.Busy(b.retryAfter()));
        } else if (outcome instanceof CurrentPasswordCheck.Outcome.Verified) {
            return Optional.empty();
        }
        return Optional.of(new EmailChangeResult.Invalid(
                FieldErrors.of("currentPassword", "Your current password is not correct.")));
    }

    ConfirmEmailChangeResult confirmEmailChange(String token, String clientAddress) {
        Optional<OneTimeTokenRecord> record = oneTimeTokens.flatMap(store -> secretDigest(token)
                .flatMap(id -> store.consume(id, TokenPurpose.CONFIRM_EMAIL_CHANGE)));
        Optional<StoredUser> user = record.filter(r -> clock.instant().isBefore(r.expiresAt()))
                .flatMap(r -> users.findById(r.userId()).filter(u -> !u.disabled() && bindingMatches(u, r)));
        Optional<EmailAddress> newEmail = record.flatMap(r -> EmailAddress.parse(r.payload()));
        if (user.isEmpty() || newEmail.isEmpty()) {
            return new ConfirmEmailChangeResult.InvalidOrExpired();
        }
        StoredUser u = user.get();
        if (!users.updateEmail(u.id(), newEmail.get(), true)) {
            return new ConfirmEmailChangeResult.EmailTaken();
        }
        facade.revokeAllCredentials(u.id());
        oneTimeTokens.get().deleteAllForUser(u.id(), TokenPurpose.RESET_PASSWORD);
        facade.emit(AuthEventType.EMAIL_CHANGED, Optional.of(u.id()), clientAddress);
        outbox.orElseThrow().later(() -> outbox.get().send(new AccountMail.EmailChanged(u.email(), newEmail.get())));
        return new ConfirmEmailChangeResult.Changed(u.id(), newEmail.get());
    }

    private record UserAndToken(StoredUser user, OneTimeTokenRecord record) {
    }

    private Optional<UserAndToken> findUsable(String token, TokenPurpose purpose) {
        Instant now = clock.instant();
        return oneTimeTokens.flatMap(store -> secretDigest(token).flatMap(store::find))
                .filter(r -> r.purpose() == purpose && now.isBefore(r.expiresAt()))
                .flatMap(r -> users.findById(r.userId())
                        .filter(u -> !u.disabled() && bindingMatches(u, r))
                        .map(u -> new UserAndToken(u, r)));
    }

    private String issueToken(StoredUser user, TokenPurpose purpose, Duration lifetime, String payload) {
        String token = tokens.next();
        Instant now = clock.instant();
        oneTimeTokens.orElseThrow().insert(new OneTimeTokenRecord(TokenDigest.of(token), user.id(), purpose, now,
                now.plus(lifetime), binding(user, purpose), payload));
        return token;
    }

    /**
     * Fingerprint of the account state a token depends on: the password hash and the address, so
     * a link dies when either changes (for verification: a newer sign-up over a pending account
     * replaces the password, and the older link must not verify the newer password).
     */
    private static String binding(StoredUser user, TokenPurpose purpose) {
        return Sha256.hex(user.passwordHash().encoded() + "\n" + user.email().canonical());
    }

    private static boolean bindingMatches(StoredUser user, OneTimeTokenRecord record) {
        return MessageDigest.isEqual(binding(user, record.purpose()).getBytes(StandardCharsets.US_ASCII),
                record.binding().getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<TokenDigest> secretDigest(String token) {
        return SessionToken.parse(token).map(SessionToken::digest);
    }

    /** At most one mail of a kind per account per cooldown, counted in the shared attempt store. */
    private boolean cooldownPassed(UserId userId, String kind) {
        Instant now = clock.instant();
        String key = "mail:" + TokenDigest.of("mail:" + kind + ":" + userId.value().replaceAll("[^\\x20-\\x7e]", "?")).hex();
        return attempts.recordFailure(key, now, now.minus(lifetimes.mailCooldown()).plusNanos(1)).failures() == 1;
    }

    boolean mailEnabled() {
        return outbox.isPresent();
    }

    private AccountLinks links() {
        return links.orElseThrow();
    }

    void requireMail() {
        if (outbox.isEmpty()) {
            throw new IllegalStateException("mail is not configured: call Portcullis.builder().mailer(...)");
        }
    }
}
