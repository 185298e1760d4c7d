package dev.portcullis.internal;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Pending sign-ins, the step between a verified password and the session of an account that needs
 * a second factor (or must enrol one): a hashed handle, bound to the account's password state,
 * valid for {@link #PENDING_LIFETIME} and for at most {@value #MAX_CODES_PER_HANDLE} codes. Every
 * path that answers one (a code, a passkey, an enrolment) finds, counts and spends it here.
 */
public final class PendingSignIns {

    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(5);
    public static final int MAX_CODES_PER_HANDLE = 5;

    /** A live pending sign-in and its account. */
    public record Pending(StoredUser user, PendingSignIn record) {
    }

    private final Optional<PendingSignInStore> pending;
    private final SecondFactorCheck factors;
    private final UserStore users;
    private final Audit audit;
    private final Clock clock;
    private final Secrets secrets;

    public PendingSignIns(Optional<PendingSignInStore> pending, SecondFactorCheck factors, UserStore users,
                          Audit audit, Clock clock, Secrets secrets) {
        this.pending = pending;
        this.factors = factors;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** Starts a pending sign-in for a user whose password was just verified; returns the handle. */
    public String beginPending(StoredUser user, PendingSignIn.Purpose purpose, String clientAddress) {
        String handle = secrets.next();
        Instant now = clock.instant();
        pending.orElseThrow(SecondFactorCheck::notConfigured).insert(new PendingSignIn(TokenDigest.of(handle),
                user.id(), AccountFingerprint.stamp(user), purpose, now, now.plus(PENDING_LIFETIME), 0));
        audit.emit(AuthEventType.SECOND_FACTOR_REQUIRED, user.id(), clientAddress);
        return handle;
    }

    /**
     * The pending sign-in of {@code handle} when it exists, has this purpose, has not expired nor
     * used up its codes, and its account is enabled with the password state it was issued under.
     * Anything else is empty (one answer for every cause).
     */
    public Optional<Pending> findPending(String handle, PendingSignIn.Purpose purpose) {
        if (!factors.enabled()) {
            return Optional.empty();
        }
        Optional<TokenDigest> id = SessionToken.parse(handle).map(SessionToken::digest);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<PendingSignIn> found = pending.get().find(id.get());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PendingSignIn p = found.get();
        if (!clock.instant().isBefore(p.expiresAt()) || p.attempts() >= MAX_CODES_PER_HANDLE) {
            pending.get().consume(p.id());
            return Optional.empty();
        }
        if (p.purpose() != purpose) {
            return Optional.empty();
        }
        Optional<StoredUser> user = users.findById(p.userId()).filter(u -> !u.disabled())
                .filter(u -> Secrets.constantTimeEquals(AccountFingerprint.stamp(u), p.stamp()));
        if (user.isEmpty()) {
            pending.get().consume(p.id());
            return Optional.empty();
        }
        return Optional.of(new Pending(user.get(), p));
    }

    /** Counts one code on the pending sign-in; false when it has had its {@value #MAX_CODES_PER_HANDLE}. */
    public boolean reserveHandleAttempt(PendingSignIn p) {
        OptionalInt count = pending.orElseThrow().recordAttempt(p.id());
        if (count.isEmpty() || count.getAsInt() > MAX_CODES_PER_HANDLE) {
            pending.get().consume(p.id());
            return false;
        }
        return true;
    }

    /** Spends the pending sign-in; false when a racing completion got it first. */
    public boolean consume(PendingSignIn p) {
        return pending.orElseThrow().consume(p.id()).isPresent();
    }

    /** Ends a pending sign-in whose handle has had its last allowed code. */
    public void endIfSpent(PendingSignIn p) {
        pending.orElseThrow().find(p.id()).filter(now -> now.attempts() >= MAX_CODES_PER_HANDLE)
                .ifPresent(now -> pending.get().consume(now.id()));
    }

    public int purgeExpired(Instant now) {
        return pending.map(p -> p.deleteExpired(now)).orElse(0);
    }
}
