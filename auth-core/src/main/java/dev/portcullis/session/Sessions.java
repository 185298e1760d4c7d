package dev.portcullis.session;

import dev.portcullis.Portcullis;
import dev.portcullis.internal.AccountFingerprint;
import dev.portcullis.internal.Core;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.policy.SessionPolicy;

import dev.portcullis.internal.CredentialCheck.Outcome;
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
 */
public final class Sessions {

    private final Core core;

    /** Not API: built by {@code Portcullis.Builder.build()} (its parameter types are not exported). */
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

    /** Ends every session of the token's user except this one. @return how many ended */
    public int logoutOthers(SessionToken keep, String clientAddress) {
        Optional<CurrentUser> me = currentUser(keep);
        if (me.isEmpty()) {
            return 0;
        }
        int ended = core.revocation().revokeAll(me.get().id(), Optional.of(keep.digest()));
        core.audit().emit(AuthEventType.SESSIONS_REVOKED, me.get().id(), clientAddress);
        return ended;
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
