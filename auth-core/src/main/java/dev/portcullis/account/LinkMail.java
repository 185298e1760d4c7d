package dev.portcullis.account;

import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.MailOutbox;
import dev.portcullis.policy.LinkLifetimes;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.TokenPurpose;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Mailed one-time links, shared by {@link Accounts} and {@link PasswordResets}: 256-bit tokens
 * stored only as digests, bound to purpose, user and account state, consumed exactly once; plus the
 * per-account mail cooldown. Present only when mail is configured.
 */
final class LinkMail {

    private final Core core;
    private final MailOutbox outbox;
    private final OneTimeTokenStore tokens;
    private final AccountLinks links;
    private final LinkLifetimes lifetimes;

    LinkMail(Core core, MailSettings settings) {
        this.core = core;
        this.outbox = core.outbox().orElseThrow();
        this.tokens = core.oneTimeTokens().orElseThrow();
        this.links = settings.links();
        this.lifetimes = settings.lifetimes();
    }

    static Optional<LinkMail> of(Core core, Optional<MailSettings> settings) {
        return settings.map(s -> new LinkMail(core, s));
    }

    MailOutbox outbox() {
        return outbox;
    }

    OneTimeTokenStore tokens() {
        return tokens;
    }

    AccountLinks links() {
        return links;
    }

    LinkLifetimes lifetimes() {
        return lifetimes;
    }

    String issue(StoredUser user, TokenPurpose purpose, Duration lifetime, String payload) {
        String token = core.secrets().next();
        Instant now = core.clock().instant();
        tokens.insert(new OneTimeTokenRecord(TokenDigest.of(token), user.id(), purpose, now, now.plus(lifetime),
                AccountFingerprint.binding(user), payload));
        return token;
    }

    /** Spends the token; the record when it was unused, unexpired, of this purpose. */
    Optional<OneTimeTokenRecord> consume(String token, TokenPurpose purpose) {
        return digest(token).flatMap(id -> tokens.consume(id, purpose))
                .filter(r -> core.clock().instant().isBefore(r.expiresAt()));
    }

    /** The token's record without spending it, when usable and still bound to the account's state. */
    Optional<UserAndToken> findUsable(String token, TokenPurpose purpose) {
        Instant now = core.clock().instant();
        return digest(token).flatMap(tokens::find)
                .filter(r -> r.purpose() == purpose && now.isBefore(r.expiresAt()))
                .flatMap(r -> core.users().findById(r.userId())
                        .filter(u -> !u.disabled() && AccountFingerprint.bindingMatches(u, r.binding()))
                        .map(u -> new UserAndToken(u, r)));
    }

    record UserAndToken(StoredUser user, OneTimeTokenRecord record) {
    }

    void sendVerification(StoredUser user) {
        String token = issue(user, TokenPurpose.VERIFY_EMAIL, lifetimes.verifyEmail(), "");
        outbox.send(new AccountMail.VerifyEmail(user.email(), links.withToken(links.verifyEmailPath(), token),
                lifetimes.verifyEmail()));
    }

    /** At most one mail of a kind per account per cooldown, counted in the shared attempt store. */
    boolean cooldownPassed(UserId userId, String kind) {
        Instant now = core.clock().instant();
        String key = "mail:" + TokenDigest.of("mail:" + kind + ":" + userId.value().replaceAll("[^\\x20-\\x7e]", "?")).hex();
        return core.attempts().recordFailure(key, now, now.minus(lifetimes.mailCooldown()).plusNanos(1)).failures() == 1;
    }

    private static Optional<TokenDigest> digest(String token) {
        return SessionToken.parse(token).map(SessionToken::digest);
    }
}
