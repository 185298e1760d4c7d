package dev.portcullis.internal;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.SessionToken;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Step-up: how recently a session's holder proved the password and, for an account with a second
 * factor, the factor, against the policy's step-up window; and recording fresh proofs in the
 * session. Every change that needs a recent proof asks here.
 */
public final class StepUp {

    /** How fresh a session's proofs are (step-up). */
    public record Freshness(Optional<CurrentUser> user, boolean fresh, boolean fullSignIn) {
        public boolean authenticated() {
            return user.isPresent();
        }
    }

    private final SessionResolver resolver;
    private final SessionStore sessions;
    private final SecondFactorCheck factors;
    private final SecondFactorPolicy policy;
    private final Clock clock;

    public StepUp(SessionResolver resolver, SessionStore sessions, SecondFactorCheck factors,
                  SecondFactorPolicy policy, Clock clock) {
        this.resolver = resolver;
        this.sessions = sessions;
        this.factors = factors;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The proofs of a session against the step-up window: {@code fresh} when the password was
     * proved within it ({@code passwordJustProved}: the caller checked it a moment ago) and, for an
     * account with a second factor, the factor too; {@code fullSignIn} when every factor of the
     * account was proved at some point of the session.
     */
    public Freshness freshness(SessionToken session, boolean passwordJustProved) {
        Optional<CurrentUser> user = resolver.currentUser(session);
        Optional<SessionRecord> record = user.isEmpty() ? Optional.empty() : sessions.find(session.digest());
        if (record.isEmpty()) {
            return new Freshness(Optional.empty(), false, false);
        }
        Instant now = clock.instant();
        boolean twoFactor = factors.enrolled(user.get().id());
        boolean password = passwordJustProved || within(record.get().passwordAt(), now);
        boolean factor = !twoFactor || within(record.get().secondFactorAt(), now);
        boolean full = !twoFactor || record.get().secondFactorAt() != null;
        return new Freshness(user, password && factor, full);
    }

    private boolean within(Instant provedAt, Instant now) {
        return provedAt != null && !provedAt.isAfter(now.plus(Duration.ofMinutes(1)))
                && now.isBefore(provedAt.plus(policy.stepUpWindow()));
    }

    /** Records fresh proofs in the session; null leaves a proof as it is. */
    public void recordProofs(SessionToken session, Instant passwordAt, Instant secondFactorAt) {
        sessions.recordProofs(session.digest(), passwordAt, secondFactorAt);
    }
}
