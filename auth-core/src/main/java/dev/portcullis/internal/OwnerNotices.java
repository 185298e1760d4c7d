package dev.portcullis.internal;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Mails an account's owner about what someone else did to the account: a copy of its remember-me
 * token came back, or its sign-ins are being throttled. The lookup and the mail run off the request
 * thread, so an answer's timing does not tell whether the account exists; a throttling notice goes
 * out at most once per account and window (counted in the shared attempt store, so across nodes
 * too). Without a mailer nothing is sent.
 */
public final class OwnerNotices {

    private final UserStore users;
    private final AttemptStore attempts;
    private final Optional<MailOutbox> outbox;
    private final Clock clock;

    public OwnerNotices(UserStore users, AttemptStore attempts, Optional<MailOutbox> outbox, Clock clock) {
        this.users = users;
        this.attempts = attempts;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Every session and remember-me series of the account was just ended because a replaced token came back. */
    public void rememberMeTheft(UserId userId) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId).filter(u -> !u.disabled())
                .ifPresent(u -> o.send(new AccountMail.RememberMeTheft(u.email())))));
    }

    /** Sign-ins to the account from untrusted clients are now delayed; at most one notice per {@code window}. */
    public void signInThrottled(EmailAddress email, Duration window) {
        outbox.ifPresent(o -> o.later(() -> users.findByEmail(email).filter(u -> !u.disabled())
                .filter(u -> firstInWindow("sign-in-throttled", u, window))
                .ifPresent(u -> o.send(new AccountMail.SignInThrottled(u.email())))));
    }

    private boolean firstInWindow(String kind, StoredUser user, Duration window) {
        Instant now = clock.instant();
        String key = "notice:" + TokenDigest.of("notice:" + kind + ":" + user.id().value()).hex();
        return attempts.recordFailure(key, now, Throttle.resetBefore(window, now)).failures() == 1;
    }

    /** A recovery code was used to sign in or re-authenticate; {@code remaining} are left. */
    public void recoveryCodeUsed(UserId userId, int remaining) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId).filter(u -> !u.disabled())
                .ifPresent(u -> o.send(new AccountMail.RecoveryCodeUsed(u.email(), remaining)))));
    }

    /** An authenticator app was added to the account as its second factor. */
    public void secondFactorAdded(UserId userId) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId)
                .ifPresent(u -> o.send(new AccountMail.SecondFactorAdded(u.email())))));
    }

    /** The account's authenticator app was removed. */
    public void secondFactorRemoved(UserId userId) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId)
                .ifPresent(u -> o.send(new AccountMail.SecondFactorRemoved(u.email())))));
    }

    /** A passkey was added to the account. */
    public void passkeyAdded(UserId userId, String name) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId)
                .ifPresent(u -> o.send(new AccountMail.PasskeyAdded(u.email(), name)))));
    }

    /** A passkey was deleted from the account. */
    public void passkeyRemoved(UserId userId, String name) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId)
                .ifPresent(u -> o.send(new AccountMail.PasskeyRemoved(u.email(), name)))));
    }

    /** A passkey's counter did not increase: it may have been cloned. */
    public void passkeyCloneSuspected(UserId userId, String name) {
        outbox.ifPresent(o -> o.later(() -> users.findById(userId)
                .ifPresent(u -> o.send(new AccountMail.PasskeyCloneSuspected(u.email(), name)))));
    }
}
