package dev.portcullis.session;

import dev.portcullis.Portcullis;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.Secrets;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.token.Tokens;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.StoredUser;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Persistent login ("remember me"): a {@code selector.validator} token whose validator is stored
 * only as a digest, rotated on every use; a replaced token that comes back after the grace window
 * means a copy exists: every session, remember-me series and revoker-managed credential of the
 * account is ended (the thief's session too, whichever side presented the copy) and the owner is
 * mailed when mail is configured. Obtain it from
 * {@code Portcullis.rememberMe()}; {@link #enabled()} is false unless the stores include a
 * {@link RememberMeStore}. Immutable and thread-safe.
 *
 * <p>With second factors: a token is issued only to a session that proved every factor of its
 * account, and its series is bound to the account's enrolment, so a token issued before the
 * account enrolled (or under an enrolment since removed) no longer signs in: the user signs in
 * with password and code. A resumed session has proved nothing itself, so sensitive actions ask
 * for re-authentication.
 */
public final class RememberMe {

    private final Core core;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public RememberMe(Core core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /** Whether the stores include a {@link RememberMeStore}. */
    public boolean enabled() {
        return core.rememberMe().isPresent();
    }

    /** How long an issued token lives (the cookie's Max-Age). */
    public Duration lifetime() {
        return core.sessionPolicy().rememberMeLifetime();
    }

    /**
     * Issues a token for the user of a valid session (after a login where the user ticked "remember
     * me"). Empty when the session is not valid.
     *
     * @throws IllegalStateException when remember-me is not enabled
     */
    public Optional<RememberMeToken> issue(SessionToken session) {
        RememberMeStore store = core.rememberMe().orElseThrow(() -> new IllegalStateException(
                "remember-me is not enabled: give Portcullis.builder().stores(...) a RememberMeStore"));
        // Only after a full sign-in: a session that has not proved the account's second factor gets
        // no remember-me token. The series carries the enrolment's tag (see resume).
        var proofs = core.stepUp().freshness(Objects.requireNonNull(session, "session"), false);
        if (!proofs.authenticated() || !proofs.fullSignIn()) {
            return Optional.empty();
        }
        UserId id = proofs.user().get().id();
        return Optional.of(insert(store, id, core.factors().seriesTag(id) + core.secrets().next(),
                core.clock().instant()));
    }

    private RememberMeToken insert(RememberMeStore store, UserId userId, String seriesId, Instant now) {
        RememberMeToken token = new RememberMeToken(core.secrets().next().substring(0, 22), core.secrets().next());
        store.insert(new RememberMeRecord(token.selector(), TokenDigest.of(token.validator()), userId, seriesId,
                now, now.plus(lifetime()), null));
        return token;
    }

    /**
     * Starts a new session from a token and rotates the token. A token replaced less than
     * {@code SessionPolicy.rememberMeGrace()} ago still works without rotating again (parallel
     * requests of one page); one replaced longer ago is treated as stolen: every credential of the
     * account is revoked, as by {@link Sessions#logoutEverywhere}, and the owner is mailed.
     */
    public RememberMeResult resume(RememberMeToken presented, String clientAddress) {
        Objects.requireNonNull(presented, "presented");
        if (core.rememberMe().isEmpty()) {
            return new RememberMeResult.Invalid();
        }
        RememberMeStore store = core.rememberMe().get();
        long generation = core.signIn().begin();
        Optional<RememberMeRecord> found = store.find(presented.selector());
        Instant now = core.clock().instant();
        if (found.isEmpty() || !matches(presented, found.get())) {
            return new RememberMeResult.Invalid();
        }
        RememberMeRecord record = found.get();
        if (!now.isBefore(record.expiresAt())) {
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        Optional<StoredUser> user = core.users().findById(record.userId()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        // A series that did not start under the account's current second factor (issued before the
        // account enrolled, or under an enrolment since replaced) does not stand in for it.
        if (!record.seriesId().startsWith(core.factors().seriesTag(record.userId()))) {
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        Optional<RememberMeToken> rotated = Optional.empty();
        if (record.replaced().isPresent()) {
            if (!now.isBefore(record.replaced().get().plus(core.sessionPolicy().rememberMeGrace()))) {
                // A copy exists, and whoever presented a token of the series first holds a session
                // minted from it: end every session and series of the account, not only this series.
                core.revocation().revokeAll(record.userId(), Optional.empty());
                core.audit().emit(AuthEventType.REMEMBER_ME_THEFT_DETECTED, record.userId(), clientAddress);
                core.notices().rememberMeTheft(record.userId());
                return new RememberMeResult.TheftDetected(record.userId());
            }
        } else if (store.markReplaced(record.selector(), now)) {
            rotated = Optional.of(insert(store, record.userId(), record.seriesId(), now));
        }
        // A revocation (logout everywhere, password reset) that ran while we were rotating deleted
        // the presented record too: then withdraw what we just stored.
        var signedIn = core.signIn().complete(user.get(), clientAddress, generation,
                () -> store.find(record.selector()).isPresent()
                        && core.users().findById(record.userId()).filter(u -> !u.disabled()).isPresent(),
                dev.portcullis.internal.SignIn.Proofs.none());
        if (signedIn.isEmpty()) {
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        core.audit().emit(AuthEventType.REMEMBER_ME_RESUMED, record.userId(), clientAddress);
        return new RememberMeResult.Resumed(signedIn.get().user(), signedIn.get().session(), rotated);
    }

    /** Revokes the token's series (on logout). Tokens that do not match are ignored. */
    public void forget(RememberMeToken presented) {
        Objects.requireNonNull(presented, "presented");
        core.rememberMe().ifPresent(store -> store.find(presented.selector())
                .filter(r -> matches(presented, r))
                .ifPresent(r -> store.deleteSeries(r.seriesId())));
    }

    private static boolean matches(RememberMeToken presented, RememberMeRecord record) {
        return Secrets.constantTimeEquals(TokenDigest.of(presented.validator()).hex(), record.validatorHash().hex());
    }
}
