package dev.portcullis.internal;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.SessionToken;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import dev.portcullis.policy.RoleGrants;
import java.util.Set;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one sign-in completion: every way in that ends in a session (password login, registration,
 * remember-me, a new session after a password change) issues it here. The caller has already
 * proven who the user is; this stores a fresh session (256 random bits, kept only as a digest),
 * runs the caller's re-check against a revocation that raced with the proof, and hands back the
 * signed-in {@link CurrentUser}, so no layer has to look the user up again. The session records
 * what was proved to get it ({@link Proofs}), for step-up. A password sign-in of an account that
 * needs a second factor does not come here: its caller asks {@link SecondFactorCheck#requirement}
 * first and hands out a pending sign-in instead; only the completed second factor does.
 */
public final class SignIn {

    /**
     * What the holder proved to get the session, recorded in it for step-up: the instants of the
     * password and of the second factor (null: not proved in this session).
     */
    public record Proofs(Instant passwordAt, Instant secondFactorAt) {
        /** Nothing proved in the session itself (a remember-me resume). */
        public static Proofs none() {
            return new Proofs(null, null);
        }
    }

    /** The session just issued and the user it belongs to. */
    public record SignedIn(CurrentUser user, SessionToken session) {
    }

    private final SessionStore sessions;
    private final SessionLookupCache lookupCache;
    private final Secrets secrets;
    private final Clock clock;
    private final UserStore users;
    private final RoleGrants grants;

    public SignIn(SessionStore sessions, SessionLookupCache lookupCache, Secrets secrets, Clock clock, UserStore users,
                  RoleGrants grants) {
        this.sessions = sessions;
        this.lookupCache = lookupCache;
        this.secrets = secrets;
        this.clock = clock;
        this.users = users;
        this.grants = grants;
    }

    /** A generation to pass to {@link #complete}, taken before the user was read. */
    public long begin() {
        return lookupCache.generation();
    }

    /**
     * Issues a session for {@code user}. After it is stored, {@code stillValid} runs; when it answers
     * false (the password changed or the account was disabled meanwhile) the session is deleted
     * again and the answer is empty. The new session is placed in the per-node lookup cache, so the
     * browser's next request needs no store read — unless anything was invalidated since
     * {@code generationBefore}.
     */
    public Optional<SignedIn> complete(StoredUser user, String clientAddress, long generationBefore,
                                       BooleanSupplier stillValid) {
        return complete(user, clientAddress, generationBefore, stillValid, new Proofs(clock.instant(), null));
    }

    /** As above, with the proofs the session starts with (the password's is "now" above). */
    public Optional<SignedIn> complete(StoredUser user, String clientAddress, long generationBefore,
                                       BooleanSupplier stillValid, Proofs proofs) {
        Instant now = clock.instant();
        SessionToken token = new SessionToken(secrets.next());
        SessionRecord record = new SessionRecord(token.digest(), user.id(), now, now, clientAddress,
                proofs.passwordAt(), proofs.secondFactorAt());
        sessions.insert(record);
        if (!stillValid.getAsBoolean()) {
            sessions.delete(token.digest());
            return Optional.empty();
        }
        // Roles from configuration are stored at the sign-in that first qualifies (verified address).
        Set<String> roles = grants.missing(user.email(), user.emailVerified(), user.roles()).map(granted -> {
            users.setRoles(user.id(), granted);
            return granted;
        }).orElse(user.roles());
        CurrentUser current = new CurrentUser(user.id(), user.email(), roles, user.emailVerified(),
                user.createdAt(), token.digest());
        lookupCache.put(token.digest(), record, now, current, now, generationBefore);
        return Optional.of(new SignedIn(current, token));
    }

    /** For an account created or re-keyed by the caller this very moment: nothing to re-check. */
    public SignedIn complete(StoredUser user, String clientAddress) {
        return complete(user, clientAddress, begin(), () -> true).orElseThrow();
    }

    /** As above, with the proofs the session starts with. */
    public SignedIn complete(StoredUser user, String clientAddress, Proofs proofs) {
        return complete(user, clientAddress, begin(), () -> true, proofs).orElseThrow();
    }
}
