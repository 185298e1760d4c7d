package dev.portcullis.account;

import dev.portcullis.Portcullis;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.Throttle;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TokenPurpose;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * "Forgot password": a mailed single-use link, then a new password. Enumeration-safe: the request
 * answers the same whether or not an account exists, and its lookup and mailing run off the
 * request thread so the timing is the same too. Obtain it from {@code Portcullis.passwordResets()};
 * needs mail. Immutable and thread-safe.
 */
public final class PasswordResets {

    private final Core core;
    private final Optional<LinkMail> mail;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public PasswordResets(Core core, Optional<MailSettings> mail) {
        this.core = Objects.requireNonNull(core, "core");
        this.mail = LinkMail.of(core, mail);
    }

    /**
     * Starts a reset. The mail goes to the address stored for the account, never to the spelling
     * typed here. A throttled or locked account can still reset; a client address that has used up
     * its mail-request budget gets {@link MailRequestResult.Throttled}, whatever the account.
     *
     * @throws IllegalStateException when mail is not configured
     */
    public MailRequestResult request(String email, String clientAddress) {
        LinkMail m = requireMail();
        Optional<EmailAddress> address = EmailAddress.parse(email);
        if (address.isEmpty()) {
            return new MailRequestResult.Invalid(FieldErrors.of("email", Accounts.INVALID_EMAIL));
        }
        Optional<Duration> wait = core.throttle().spendMailRequest(clientAddress, core.clock().instant());
        if (wait.isPresent()) {
            return new MailRequestResult.Throttled(wait.get());
        }
        m.outbox().later(() -> core.users().findByEmail(address.get())
                .filter(u -> !u.disabled())
                .filter(u -> m.cooldownPassed(u.id(), "reset"))
                .ifPresent(u -> {
                    String token = m.issue(u, TokenPurpose.RESET_PASSWORD, m.lifetimes().resetPassword(), "");
                    core.audit().emit(AuthEventType.PASSWORD_RESET_REQUESTED, u.id(), clientAddress);
                    m.outbox().send(new AccountMail.PasswordReset(u.email(),
                            m.links().withToken(m.links().resetPasswordPath(), token), m.lifetimes().resetPassword()));
                }));
        return new MailRequestResult.Accepted();
    }

    /** Whether a reset token is currently usable, without spending it (to decide whether to show the form). */
    public boolean isValid(String token) {
        return mail.flatMap(m -> m.findUsable(token, TokenPurpose.RESET_PASSWORD)).isPresent();
    }

    /**
     * Sets a new password from a reset link: the policy applies; the token is consumed; every
     * session, remember-me token, other reset link and revoker-managed credential of the user is
     * revoked; the user is notified by mail. The user is not signed in. Both passwords are wiped.
     */
    public PasswordResetResult reset(String token, RawPassword password, RawPassword confirmPassword,
                                     String clientAddress) {
        try (RawPassword fresh = password; RawPassword confirm = confirmPassword) {
            Optional<LinkMail.UserAndToken> found = mail.flatMap(m -> m.findUsable(token, TokenPurpose.RESET_PASSWORD));
            if (found.isEmpty()) {
                return new PasswordResetResult.InvalidOrExpired();
            }
            LinkMail m = mail.orElseThrow();
            StoredUser user = found.get().user();
            FieldErrors.Collector errors = new FieldErrors.Collector();
            if (fresh == null) {
                errors.add("password", "Enter a new password.");
            } else {
                core.passwordPolicy().check(fresh, List.of(core.serviceName(), user.email().localPart()))
                        .forEach(msg -> errors.add("password", msg));
                if (!errors.has("password") && (confirm == null || !fresh.sameAs(confirm))) {
                    errors.add("confirmPassword", "The passwords do not match.");
                }
            }
            if (!errors.isEmpty()) {
                return new PasswordResetResult.Invalid(errors.toErrors());
            }
            Optional<PasswordHash> hash = core.gate().run(() -> core.hasher().hash(fresh));
            if (hash.isEmpty()) {
                return new PasswordResetResult.Busy(core.gate().retryAfter());
            }
            if (m.tokens().consume(found.get().record().id(), TokenPurpose.RESET_PASSWORD).isEmpty()) {
                return new PasswordResetResult.InvalidOrExpired();
            }
            core.users().updatePasswordHash(user.id(), hash.get());
            if (!user.emailVerified()) {
                core.users().markEmailVerified(user.id()); // following the mailed link proves control of the address
            }
            m.tokens().deleteAllForUser(user.id(), TokenPurpose.RESET_PASSWORD);
            m.tokens().deleteAllForUser(user.id(), TokenPurpose.CONFIRM_EMAIL_CHANGE);
            core.revocation().revokeAll(user.id(), Optional.empty());
            core.throttle().recordSuccess(Throttle.accountKey(user.email()));
            core.audit().emit(AuthEventType.PASSWORD_RESET, user.id(), clientAddress);
            m.outbox().later(() -> m.outbox().send(new AccountMail.PasswordChanged(user.email())));
            return new PasswordResetResult.Reset(user.id());
        }
    }

    private LinkMail requireMail() {
        return mail.orElseThrow(() -> new IllegalStateException(
                "mail is not configured: call Portcullis.builder().mail(MailSettings.of(mailer, links))"));
    }
}
