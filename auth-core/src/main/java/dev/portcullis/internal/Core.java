package dev.portcullis.internal;

import dev.portcullis.Portcullis;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.AuthEventListener;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.Mailer;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import dev.portcullis.policy.RoleGrants;

/**
 * The collaborators every feature service is built with: one instance of each per
 * {@code Portcullis}, so all services share the same hashing limit, throttle, lookup cache (and the
 * store wrappers that invalidate it), revocation routine and audit emitter.
 *
 * @param users    wrapped: every change through it invalidates the lookup cache
 * @param sessions wrapped likewise
 * @param outbox   present when a mailer is configured
 * @param notices  mails to an account's owner about what others did to it (nothing without a mailer)
 * @param devices  issues and checks device tokens (the key is the application's, or random per instance)
 * @param factors  the second-factor check: codes, recovery codes, the requirement (inert when not configured)
 * @param pendingSignIns the pending sign-ins between a password and its second factor (none when not configured)
 * @param stepUp   the freshness of a session's proofs, and recording new ones
 */
public record Core(UserStore users, SessionStore sessions, AttemptStore attempts, Optional<RememberMeStore> rememberMe,
                   Optional<OneTimeTokenStore> oneTimeTokens, PasswordHasher hasher, PasswordPolicy passwordPolicy,
                   SessionPolicy sessionPolicy, Clock clock, String serviceName, Secrets secrets, HashingGate gate,
                   Throttle throttle, InputValidator validator, SessionLookupCache lookupCache, Audit audit,
                   Revocation revocation, CredentialCheck credentials, SignIn signIn, SessionResolver resolver,
                   Optional<MailOutbox> outbox, OwnerNotices notices, DeviceTrust devices,
                   SecondFactorCheck factors, PendingSignIns pendingSignIns, StepUp stepUp)
        implements AutoCloseable {

    /** What {@link #assemble} needs; the stores as the application gave them. */
    public record Parts(UserStore users, SessionStore sessions, AttemptStore attempts,
                        Optional<RememberMeStore> rememberMe, Optional<OneTimeTokenStore> oneTimeTokens,
                        PasswordHasher hasher, PasswordPolicy passwordPolicy, SessionPolicy sessionPolicy,
                        ThrottlePolicy throttlePolicy, List<AuthEventListener> listeners,
                        List<CredentialRevoker> revokers, Clock clock, SecureRandom random, String serviceName,
                        boolean requireVerifiedEmail, int hashingConcurrency, Duration hashingMaxWait, int hashingMaxWaiting,
                        boolean hashingIdlePriority,
                        Optional<Mailer> mailer, Executor mailExecutor, Optional<byte[]> deviceKey,
                        RoleGrants roleGrants, Optional<SecondFactorStore> secondFactors,
                        Optional<PendingSignInStore> pendingSignIns, Optional<byte[]> secondFactorKey,
                        SecondFactorPolicy secondFactorPolicy) {
    }

    public static Core assemble(Parts p) {
        return assemble(p, RevocationBus.none());
    }

    /**
     * With a revocation bus: the stores also publish every change to the other nodes (wrapped
     * inside the cache's wrappers), and the lookup cache lives for the longer
     * {@link SessionPolicy#lookupCacheTtlWithBus()}, falling back to {@link SessionPolicy#lookupCacheTtl()}
     * while the bus is down (a zero {@code lookupCacheTtl} still turns the cache off). The caller subscribes the cache ({@link CacheEviction}).
     */
    public static Core assemble(Parts p, RevocationBus bus) {
        RevocationPublisher publisher = new RevocationPublisher(bus);
        SessionLookupCache cache = publisher.enabled() && !p.sessionPolicy().lookupCacheTtl().isZero()
                ? new SessionLookupCache(p.sessionPolicy().lookupCacheTtlWithBus(), p.sessionPolicy().lookupCacheTtl())
                : new SessionLookupCache(p.sessionPolicy().lookupCacheTtl());
        UserStore users = cache.users(publisher.users(p.users()));
        SessionStore sessions = cache.sessions(publisher.sessions(p.sessions()));
        Secrets secrets = new Secrets(p.random());
        HashingGate gate = new HashingGate(p.hashingConcurrency(), p.hashingMaxWait(), p.hashingMaxWaiting(),
                p.hashingIdlePriority());
        Throttle throttle = new Throttle(p.attempts(), p.throttlePolicy());
        InputValidator validator = new InputValidator();
        Audit audit = new Audit(p.listeners(), p.clock());
        // Verified against when there is no usable hash, so every failed sign-in costs one verify.
        PasswordHash dummyHash;
        try (RawPassword unguessable = RawPassword.of(secrets.next())) {
            dummyHash = p.hasher().hash(unguessable);
        }
        Optional<MailOutbox> outbox = p.mailer().map(m -> new MailOutbox(m, p.mailExecutor()));
        OwnerNotices notices = new OwnerNotices(users, p.attempts(), outbox, p.clock());
        DeviceTrust devices = new DeviceTrust(p.deviceKey().orElseGet(() -> {
            byte[] key = new byte[32];
            p.random().nextBytes(key);
            return key;
        }), p.throttlePolicy().deviceTokenLifetime(), secrets);
        CredentialCheck credentials = new CredentialCheck(users, p.hasher(), gate, throttle, validator, audit,
                p.clock(), dummyHash, p.requireVerifiedEmail(), devices, notices);
        SessionResolver resolver = new SessionResolver(users, sessions, cache, p.sessionPolicy(), p.clock());
        SecondFactorCheck factors = new SecondFactorCheck(p.secondFactors(), p.pendingSignIns(),
                p.secondFactorKey().map(k -> new SecretBox(k, secrets)), p.secondFactorPolicy(), throttle, audit,
                p.clock(), secrets, devices, notices, p.roleGrants());
        PendingSignIns pendingSignIns = new PendingSignIns(p.pendingSignIns(), factors, users, audit, p.clock(),
                secrets);
        StepUp stepUp = new StepUp(resolver, sessions, factors, p.secondFactorPolicy(), p.clock());
        return new Core(users, sessions, p.attempts(), p.rememberMe(), p.oneTimeTokens(), p.hasher(),
                p.passwordPolicy(), p.sessionPolicy(), p.clock(), p.serviceName(), secrets, gate, throttle, validator,
                cache, audit, new Revocation(sessions, p.rememberMe(), p.revokers(), cache, publisher), credentials,
                new SignIn(sessions, cache, secrets, p.clock(), users, p.roleGrants()), resolver, outbox, notices,
                devices, factors, pendingSignIns, stepUp);
    }

    /** Deletes expired sessions, stale throttle counters, remember-me tokens and one-time links. */
    public int purgeExpired() {
        java.time.Instant now = clock.instant();
        return sessions.deleteExpired(now.minus(sessionPolicy.idleTimeout()), now.minus(sessionPolicy.absoluteTimeout()))
                + throttle.purge(now)
                + rememberMe.map(store -> store.deleteExpired(now)).orElse(0)
                + oneTimeTokens.map(store -> store.deleteExpired(now)).orElse(0)
                + pendingSignIns.purgeExpired(now);
    }

    /** Ends the threads this instance started (mail, hashing); queued mail is sent first. */
    @Override
    public void close() {
        outbox.ifPresent(MailOutbox::close);
        gate.close();
    }
}
