package dev.portcullis;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Mailer;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventListener;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.PortcullisException;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The authentication use cases: register, log in, resolve the current user, log out, change the
 * password, end sessions. Immutable and thread-safe; build one with {@link #builder()} and share it.
 *
 * <p>Expected outcomes come back as sealed results; only infrastructure faults throw, as
 * {@link dev.portcullis.spi.PortcullisException} subclasses. Passwords inside the input records
 * are wiped when a use case returns.
 */
public final class Portcullis implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Portcullis.class.getName());

    private final UserStore users;
    private final SessionStore sessions;
    private final Optional<RememberMeStore> rememberMe;
    private final PasswordHasher hasher;
    private final PasswordPolicy passwordPolicy;
    private final SessionPolicy sessionPolicy;
    private final List<AuthEventListener> listeners;
    private final List<CredentialRevoker> revokers;
    private final Clock clock;
    private final String serviceName;
    private final boolean requireVerifiedEmail;
    private final HashingGate gate;
    private final Throttle throttle;
    private final InputValidator validator;
    private final SecretTokens tokens;
    private final PasswordHash dummyHash;
    private final RegistrationMode registrationMode;
    private final Optional<OneTimeTokenStore> oneTimeTokens;
    private final ExecutorService ownedExecutor;
    private final SessionLookupCache lookupCache;
    private final CurrentPasswordCheck currentPasswordCheck;
    private final AccountMailFlows mailFlows;

    private Portcullis(Builder b) {
        this.lookupCache = new SessionLookupCache(b.sessionPolicy.lookupCacheTtl());
        // Wrapped so that every change made through this instance invalidates the lookup cache.
        this.users = lookupCache.users(b.userStore);
        this.sessions = lookupCache.sessions(b.sessionStore);
        this.rememberMe = Optional.ofNullable(b.rememberMeStore);
        this.hasher = b.passwordHasher;
        this.passwordPolicy = b.passwordPolicy;
        this.sessionPolicy = b.sessionPolicy;
        this.listeners = List.copyOf(b.listeners);
        this.revokers = List.copyOf(b.revokers);
        this.clock = b.clock;
        this.serviceName = b.serviceName;
        this.requireVerifiedEmail = b.requireVerifiedEmail || b.registrationMode == RegistrationMode.VERIFY_FIRST;
        this.registrationMode = b.registrationMode;
        this.oneTimeTokens = Optional.ofNullable(b.oneTimeTokenStore);
        this.ownedExecutor = b.mailer != null && b.mailExecutor == null ? newMailExecutor() : null;
        this.gate = new HashingGate(b.hashingConcurrency, b.hashingMaxWait);
        this.throttle = new Throttle(b.attemptStore, b.throttlePolicy);
        this.validator = new InputValidator();
        this.tokens = new SecretTokens(b.random);
        // Verified against when there is no usable hash, so every failed login costs one verify.
        try (RawPassword unguessable = RawPassword.of(tokens.next())) {
            this.dummyHash = hasher.hash(unguessable);
        }
        Optional<MailOutbox> outbox = Optional.ofNullable(b.mailer)
                .map(m -> new MailOutbox(m, b.mailExecutor != null ? b.mailExecutor : ownedExecutor));
        this.currentPasswordCheck = new CurrentPasswordCheck(users, hasher, gate, throttle, clock, dummyHash);
        this.mailFlows = new AccountMailFlows(
                new AccountMailFlows.Shared(users, clock, tokens, hasher, gate, throttle, passwordPolicy, serviceName,
                        currentPasswordCheck),
                outbox, oneTimeTokens, Optional.ofNullable(b.accountLinks), b.tokenLifetimes, b.attemptStore,
                new MailFlowsFacade());
    }

    public static Builder builder() {
        return new Builder();
    }

    public PasswordPolicy passwordPolicy() {
        return passwordPolicy;
    }

    public SessionPolicy sessionPolicy() {
        return sessionPolicy;
    }

    /**
     * Creates an account and logs its owner in. The email must be free; the password must pass the
     * {@link PasswordPolicy} and match its confirmation.
     */
    public RegistrationResult register(Registration form, String clientAddress) {
        Objects.requireNonNull(form, "form");
        try {
            FieldErrors.Collector errors = new FieldErrors.Collector();
            validator.validate(form, errors);
            Optional<EmailAddress> email = Optional.empty();
            if (!errors.has("email")) {
                email = EmailAddress.parse(form.email());
                if (email.isEmpty()) {
                    errors.add("email", "Enter a valid email address, like name@example.com.");
                }
            }
            if (!errors.has("password")) {
                List<String> context = new ArrayList<>(List.of(serviceName));
                email.ifPresent(e -> context.add(e.localPart()));
                passwordPolicy.check(form.password(), context).forEach(m -> errors.add("password", m));
            }
            if (!errors.has("password") && !errors.has("confirmPassword")
                    && !form.password().sameAs(form.confirmPassword())) {
                errors.add("confirmPassword", "The passwords do not match.");
            }
            if (!errors.isEmpty()) {
                return new RegistrationResult.Invalid(errors.toErrors());
            }
            EmailAddress address = email.orElseThrow();
            if (registrationMode == RegistrationMode.VERIFY_FIRST) {
                return mailFlows.registerVerifyFirst(address, form.password(), clientAddress);
            }
            if (users.findByEmail(address).isPresent()) {
                return new RegistrationResult.EmailTaken();
            }
            Optional<PasswordHash> hash = gate.run(() -> hasher.hash(form.password()));
            if (hash.isEmpty()) {
                return new RegistrationResult.Busy(gate.retryAfter());
            }
            Instant now = clock.instant();
            StoredUser user = new StoredUser(UserId.random(), address, hash.get(), now, false, false, Set.of());
            if (!users.insert(user)) {
                return new RegistrationResult.EmailTaken();
            }
            emit(AuthEventType.REGISTERED, Optional.of(user.id()), clientAddress);
            mailFlows.verifyLater(user);
            return new RegistrationResult.Registered(user.id(), startSession(user.id(), clientAddress, now));
        } finally {
            wipe(form.password(), form.confirmPassword());
        }
    }

    /**
     * Marks the address of the token's account as verified. The token must be unused, unexpired,
     * for this purpose, and issued for the address the account still has.
     */
    public EmailVerificationResult verifyEmail(String token) {
        return mailFlows.verifyEmail(token);
    }

    /**
     * Sends a new verification mail if the address belongs to an unverified account and the
     * cooldown has passed. Answers the same in every case.
     */
    public MailRequestResult resendVerification(String email) {
        return mailFlows.resendVerification(email);
    }

    /**
     * Starts a password reset. Answers the same whether or not an account exists, and does the
     * lookup and mailing off the request thread so the timing is the same too. The mail goes to
     * the address stored for the account, never to the spelling typed here. A throttled or locked
     * account can still reset.
     */
    public MailRequestResult requestPasswordReset(String email, String clientAddress) {
        return mailFlows.requestPasswordReset(email, clientAddress);
    }

    /**
     * Whether a reset token is currently usable, without spending it (to decide whether to show
     * the form).
     */
    public boolean isResetTokenValid(String token) {
        return mailFlows.isResetTokenValid(token);
    }

    /**
     * Sets a new password from a reset link: the policy applies; the token is consumed; every
     * session, remember-me token, other reset token and revoker-managed credential of the user is
     * revoked; the user is notified by mail. The user is not logged in.
     */
    public PasswordResetResult resetPassword(String token, RawPassword password, RawPassword confirmPassword,
                                             String clientAddress) {
        try {
            return mailFlows.resetPassword(token, password, confirmPassword, clientAddress);
        } finally {
            wipe(password, confirmPassword);
        }
    }

    /**
     * Asks to change the session user's address: a confirmation link goes to the new address and
     * a notice to the current one; nothing changes until the link is followed. A new address that
     * another account holds gets no mail, and the answer does not say so.
     *
     * <p>The current password is required (re-authentication, OWASP ASVS V6): a hijacked session
     * alone must not be able to move the account to an attacker's address and then reset the
     * password. Wrong passwords count toward the account's throttle. {@code currentPassword} is
     * wiped when this returns.
     */
    public EmailChangeResult requestEmailChange(SessionToken session, String newEmail, RawPassword currentPassword,
                                                String clientAddress) {
        mailFlows.requireMail();
        try {
            return mailFlows.requestEmailChange(session, newEmail, currentPassword, clientAddress);
        } finally {
            wipe(currentPassword);
        }
    }

    /**
     * Completes an email change from the link mailed to the new address. Uniqueness still holds;
     * the new address counts as verified; every session of the user ends.
     */
    public ConfirmEmailChangeResult confirmEmailChange(String token, String clientAddress) {
        return mailFlows.confirmEmailChange(token, clientAddress);
    }

    /** Whether a mailer is configured, i.e. verification, reset and email change are available. */
    public boolean mailEnabled() {
        return mailFlows.mailEnabled();
    }

    private static ExecutorService newMailExecutor() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "portcullis-mail");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the mail thread this instance started (if it started one), letting queued mail finish. */
    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                ownedExecutor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Checks credentials and starts a session. See {@link LoginResult} for the outcomes; a
     * transparent rehash upgrades a legacy or weaker hash after a successful verify.
     *
     * <p>The new session is checked against the account once more after it is stored: if the
     * password was reset or changed (or the account disabled) while this login was verifying, the
     * session is deleted and the login fails, so no credential outlives a revocation.
     */
    public LoginResult login(Credentials credentials, String clientAddress) {
        Objects.requireNonNull(credentials, "credentials");
        try {
            AuthenticationResult result = check(credentials, clientAddress);
            if (result instanceof AuthenticationResult.Authenticated ok) {
                SessionToken session = startSession(ok.userId(), clientAddress, clock.instant());
                if (!credentialsUnchanged(ok.userId(), ok.credentialStamp())
                        && !stillVerifies(ok.userId(), credentials.password())) {
                    sessions.delete(session.digest());
                    return new LoginResult.InvalidCredentials();
                }
                return new LoginResult.Success(ok.userId(), session);
            } else if (result instanceof AuthenticationResult.Invalid r) {
                return new LoginResult.Invalid(r.errors());
            } else if (result instanceof AuthenticationResult.InvalidCredentials) {
                return new LoginResult.InvalidCredentials();
            } else if (result instanceof AuthenticationResult.Throttled r) {
                return new LoginResult.Throttled(r.retryAfter());
            } else if (result instanceof AuthenticationResult.EmailNotVerified r) {
                return new LoginResult.EmailNotVerified(r.userId());
            } else if (result instanceof AuthenticationResult.Busy r) {
                return new LoginResult.Busy(r.retryAfter());
            }
            throw new IllegalStateException("unhandled " + result);
        } finally {
            wipe(credentials.password());
        }
    }

    /**
     * Checks credentials exactly as {@link #login} does (validation, throttling, one verify,
     * rehash, audit) without starting a session: for callers that issue another credential, such
     * as API tokens. Such a caller stores its credential, then calls
     * {@link #credentialsUnchanged(UserId, String)} with {@link AuthenticationResult.Authenticated#credentialStamp()}
     * and withdraws the credential when it answers {@code false} (the password changed, or the
     * account was disabled, while the check ran).
     */
    public AuthenticationResult authenticate(Credentials credentials, String clientAddress) {
        Objects.requireNonNull(credentials, "credentials");
        try {
            return check(credentials, clientAddress);
        } finally {
            wipe(credentials.password());
        }
    }

    /**
     * Whether the account is still enabled and its password unchanged since an
     * {@link AuthenticationResult.Authenticated} carrying {@code credentialStamp}.
     */
    public boolean credentialsUnchanged(UserId userId, String credentialStamp) {
        Objects.requireNonNull(credentialStamp, "credentialStamp");
        return users.findById(userId).filter(u -> !u.disabled())
                .map(u -> MessageDigest.isEqual(stamp(u.passwordHash()).getBytes(StandardCharsets.US_ASCII),
                        credentialStamp.getBytes(StandardCharsets.US_ASCII)))
                .orElse(false);
    }

    /** The rare path after a stamp mismatch: a concurrent login may merely have upgraded the hash. */
    private boolean stillVerifies(UserId userId, RawPassword password) {
        Optional<StoredUser> user = users.findById(userId).filter(u -> !u.disabled() && hasher.supports(u.passwordHash()));
        return user.isPresent() && gate.run(() -> hasher.verify(password, user.get().passwordHash())).orElse(false);
    }

    private static String stamp(PasswordHash hash) {
        return Sha256.hex(hash.encoded());
    }

    private AuthenticationResult check(Credentials credentials, String clientAddress) {
        RawPassword password = credentials.password();
        FieldErrors.Collector errors = new FieldErrors.Collector();
        validator.validate(credentials, errors);
        if (!errors.has("password") && password.isEmpty()) {
            errors.add("password", "Enter your password.");
        }
        Optional<EmailAddress> email = errors.has("email") ? Optional.empty() : EmailAddress.parse(credentials.email());
        if (!errors.has("email") && email.isEmpty()) {
            errors.add("email", "Enter a valid email address, like name@example.com.");
        }
        if (!errors.isEmpty()) {
            return new AuthenticationResult.Invalid(errors.toErrors());
        }
        Instant now = clock.instant();
        String accountKey = Throttle.accountKey(email.get());
        Optional<String> addressKey = Throttle.addressKey(clientAddress);
        Throttle.Check throttled = throttle.check(accountKey, addressKey, now);
        if (throttled.retryAfter().isPresent()) {
            emit(AuthEventType.LOGIN_THROTTLED, Optional.empty(), clientAddress);
            return new AuthenticationResult.Throttled(throttled.retryAfter().get());
        }
        if (PasswordPolicy.exceedsHardCap(password)) {
            throttle.recordFailure(accountKey, addressKey, now);
            return failedLogin(addressKey, Optional.empty(), clientAddress, now);
        }
        Optional<StoredUser> user = users.findByEmail(email.get());
        boolean usable = user.isPresent() && hasher.supports(user.get().passwordHash());
        PasswordHash target = usable ? user.get().passwordHash() : dummyHash;
        // The attempt is counted before the verify (and only once a hashing slot is ours), so a burst
        // of parallel guesses cannot all slip through one throttle check.
        Optional<Optional<Boolean>> outcome = gate.run(() -> throttle.reserve(accountKey, throttled.accountFailures(), now)
                ? Optional.of(hasher.verify(password, target)) : Optional.empty());
        if (outcome.isEmpty()) {
            return new AuthenticationResult.Busy(gate.retryAfter());
        }
        if (outcome.get().isEmpty()) {
            emit(AuthEventType.LOGIN_THROTTLED, Optional.empty(), clientAddress);
            return new AuthenticationResult.Throttled(Duration.ofSeconds(1));
        }
        if (!outcome.get().get() || !usable || user.get().disabled()) {
            return failedLogin(addressKey, user.map(StoredUser::id), clientAddress, now);
        }
        StoredUser account = user.get();
        PasswordHash current = account.passwordHash();
        if (hasher.needsRehash(current)) {
            current = upgradeHash(account.id(), password).orElse(current);
        }
        throttle.recordSuccess(accountKey);
        if (requireVerifiedEmail && !account.emailVerified()) {
            return new AuthenticationResult.EmailNotVerified(account.id());
        }
        emit(AuthEventType.LOGIN_SUCCEEDED, Optional.of(account.id()), clientAddress);
        return new AuthenticationResult.Authenticated(account.id(), stamp(current));
    }

    /**
     * Replaces a legacy or weaker hash after a successful verify. Best effort: a failure (a
     * legacy column too short for Argon2id, a busy hasher) is logged and the login goes on with
     * the old hash, which still verifies.
     */
    private Optional<PasswordHash> upgradeHash(UserId id, RawPassword password) {
        try {
            Optional<PasswordHash> fresh = gate.run(() -> hasher.hash(password));
            fresh.ifPresent(h -> users.updatePasswordHash(id, h));
            return fresh;
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.WARNING, "password hash upgrade failed for user " + id + "; keeping the old hash", e);
            return Optional.empty();
        }
    }

    /** The account's counter already holds this attempt; the address counts failures only. */
    private AuthenticationResult failedLogin(Optional<String> addressKey, Optional<UserId> userId,
                                             String clientAddress, Instant now) {
        throttle.recordAddressFailure(addressKey, now);
        emit(AuthEventType.LOGIN_FAILED, userId, clientAddress);
        return new AuthenticationResult.InvalidCredentials();
    }

    /**
     * The user behind a session token, when the session exists, has not passed its idle or
     * absolute timeout, and the account is still enabled. An expired session is deleted.
     *
     * <p>The answer may come from a short per-node cache ({@link SessionPolicy#lookupCacheTtl()},
     * default 1 second): timeouts are still checked against the clock on every call, and every
     * logout, revocation and account change made through this instance takes effect at once; a
     * change made on another node (or directly in the store) is seen here within the TTL.
     */
    public Optional<CurrentUser> currentUser(SessionToken token) {
        Objects.requireNonNull(token, "token");
        TokenDigest id = token.digest();
        Optional<CurrentUser> cached = lookupCache.get(id, clock.instant(), sessionPolicy);
        if (cached != null) {
            return cached;
        }
        long generation = lookupCache.generation();
        Optional<SessionRecord> found = sessions.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord session = found.get();
        Instant now = clock.instant();
        if (isExpired(session, now)) {
            sessions.delete(id);
            return Optional.empty();
        }
        Optional<StoredUser> user = users.findById(session.userId());
        if (user.isEmpty() || user.get().disabled()) {
            sessions.delete(id);
            return Optional.empty();
        }
        Instant lastSeen = session.lastSeenAt();
        if (!now.isBefore(lastSeen.plus(sessionPolicy.touchInterval()))) {
            sessions.touch(id, now);
            lastSeen = now;
        }
        StoredUser u = user.get();
        CurrentUser current = new CurrentUser(u.id(), u.email(), u.roles(), u.emailVerified(), u.createdAt(), id);
        lookupCache.put(id, session, lastSeen, current, now, generation);
        return Optional.of(current);
    }

    /**
     * The account behind a stateless credential (an access token or API key the caller has already
     * verified): empty when it does not exist or is disabled. {@link CurrentUser#sessionId()} is
     * null. Served from the same short per-node cache as {@link #currentUser}
     * ({@link SessionPolicy#lookupCacheTtl()}), invalidated at once by changes made through this
     * instance.
     */
    public Optional<CurrentUser> account(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = clock.instant();
        Optional<CurrentUser> cached = lookupCache.account(userId, now);
        if (cached != null) {
            return cached;
        }
        long generation = lookupCache.generation();
        Optional<CurrentUser> account = users.findById(userId).filter(u -> !u.disabled())
                .map(u -> new CurrentUser(u.id(), u.email(), u.roles(), u.emailVerified(), u.createdAt(), null));
        lookupCache.putAccount(userId, account, now, generation);
        return account;
    }

    private boolean isExpired(SessionRecord session, Instant now) {
        return !now.isBefore(session.lastSeenAt().plus(sessionPolicy.idleTimeout()))
                || !now.isBefore(session.createdAt().plus(sessionPolicy.absoluteTimeout()));
    }

    /**
     * Issues a remember-me token for the user of a valid session (call it after a login where the
     * user ticked "remember me"). Empty when the session is not valid.
     *
     * @throws IllegalStateException when no {@code rememberMeStore} was configured
     */
    public Optional<RememberMeToken> rememberMe(SessionToken session) {
        RememberMeStore store = rememberMe.orElseThrow(() -> new IllegalStateException(
                "remember-me is not enabled: call Portcullis.builder().rememberMeStore(...)"));
        return currentUser(session).map(user -> issueRememberMe(store, user.id(), tokens.next(), clock.instant()));
    }

    private RememberMeToken issueRememberMe(RememberMeStore store, UserId userId, String seriesId, Instant now) {
        RememberMeToken token = new RememberMeToken(tokens.next().substring(0, 22), tokens.next());
        store.insert(new RememberMeRecord(token.selector(), TokenDigest.of(token.validator()), userId, seriesId,
                now, now.plus(sessionPolicy.rememberMeLifetime()), null));
        return token;
    }

    /**
     * Starts a new session from a remember-me token and rotates the token. A token replaced less
     * than {@link SessionPolicy#rememberMeGrace()} ago still works without rotating again (parallel
     * requests of one page); one replaced longer ago is treated as stolen and its whole series is
     * revoked.
     */
    public RememberMeResult resume(RememberMeToken presented, String clientAddress) {
        Objects.requireNonNull(presented, "presented");
        if (rememberMe.isEmpty()) {
            return new RememberMeResult.Invalid();
        }
        RememberMeStore store = rememberMe.get();
        Optional<RememberMeRecord> found = store.find(presented.selector());
        Instant now = clock.instant();
        if (found.isEmpty() || !matches(presented, found.get())) {
            return new RememberMeResult.Invalid();
        }
        RememberMeRecord record = found.get();
        if (!now.isBefore(record.expiresAt())) {
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        Optional<StoredUser> user = users.findById(record.userId()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        Optional<RememberMeToken> rotated = Optional.empty();
        if (record.replaced().isPresent()) {
            if (!now.isBefore(record.replaced().get().plus(sessionPolicy.rememberMeGrace()))) {
                store.deleteSeries(record.seriesId());
                emit(AuthEventType.REMEMBER_ME_THEFT_DETECTED, Optional.of(record.userId()), clientAddress);
                return new RememberMeResult.TheftDetected(record.userId());
            }
        } else if (store.markReplaced(record.selector(), now)) {
            rotated = Optional.of(issueRememberMe(store, record.userId(), record.seriesId(), now));
        }
        SessionToken session = startSession(record.userId(), clientAddress, now);
        // A revocation (logout everywhere, password reset) that ran while we were rotating deleted
        // the presented record too: then withdraw what we just stored.
        if (store.find(record.selector()).isEmpty()
                || users.findById(record.userId()).filter(u -> !u.disabled()).isEmpty()) {
            sessions.delete(session.digest());
            store.deleteSeries(record.seriesId());
            return new RememberMeResult.Invalid();
        }
        emit(AuthEventType.REMEMBER_ME_RESUMED, Optional.of(record.userId()), clientAddress);
        return new RememberMeResult.Resumed(record.userId(), session, rotated);
    }

    /** Revokes the token's series (on logout). Tokens that do not match are ignored. */
    public void forget(RememberMeToken presented) {
        rememberMe.ifPresent(store -> store.find(presented.selector())
                .filter(r -> matches(presented, r))
                .ifPresent(r -> store.deleteSeries(r.seriesId())));
    }

    private static boolean matches(RememberMeToken presented, RememberMeRecord record) {
        return MessageDigest.isEqual(TokenDigest.of(presented.validator()).hex().getBytes(StandardCharsets.US_ASCII),
                record.validatorHash().hex().getBytes(StandardCharsets.US_ASCII));
    }

    /** Ends the session. Unknown or expired tokens are ignored. */
    public void logout(SessionToken token, String clientAddress) {
        Objects.requireNonNull(token, "token");
        TokenDigest id = token.digest();
        Optional<SessionRecord> session = sessions.find(id);
        if (sessions.delete(id)) {
            emit(AuthEventType.LOGGED_OUT, session.map(SessionRecord::userId), clientAddress);
        }
    }

    /**
     * Changes the password of the session's user after checking the current one, and ends every
     * other session of that user. Wrong current passwords count toward the account's throttle.
     */
    public ChangePasswordResult changePassword(SessionToken token, PasswordChange change, String clientAddress) {
        Objects.requireNonNull(change, "change");
        try {
            Optional<CurrentUser> current = currentUser(token);
            if (current.isEmpty()) {
                return new ChangePasswordResult.NotAuthenticated();
            }
            CurrentUser me = current.get();
            FieldErrors.Collector errors = new FieldErrors.Collector();
            validator.validate(change, errors);
            if (!errors.has("currentPassword") && change.currentPassword().isEmpty()) {
                errors.add("currentPassword", "Enter your current password.");
            }
            if (!errors.has("newPassword")) {
                passwordPolicy.check(change.newPassword(), List.of(serviceName, me.email().localPart()))
                        .forEach(m -> errors.add("newPassword", m));
            }
            if (!errors.has("newPassword") && !errors.has("confirmPassword")
                    && !change.newPassword().sameAs(change.confirmPassword())) {
                errors.add("confirmPassword", "The passwords do not match.");
            }
            if (!errors.isEmpty()) {
                return new ChangePasswordResult.Invalid(errors.toErrors());
            }
            CurrentPasswordCheck.Outcome outcome = currentPasswordCheck.check(me, change.currentPassword(), clientAddress);
            if (outcome instanceof CurrentPasswordCheck.Outcome.Throttled t) {
                return new ChangePasswordResult.Throttled(t.retryAfter());
            } else if (outcome instanceof CurrentPasswordCheck.Outcome.Busy b) {
                return new ChangePasswordResult.Busy(b.retryAfter());
            } else if (outcome instanceof CurrentPasswordCheck.Outcome.NoAccount) {
                return new ChangePasswordResult.NotAuthenticated();
            } else if (outcome instanceof CurrentPasswordCheck.Outcome.Wrong) {
                return new ChangePasswordResult.Invalid(
                        FieldErrors.of("currentPassword", "Your current password is not correct."));
            }
            StoredUser user = ((CurrentPasswordCheck.Outcome.Verified) outcome).user();
            Optional<PasswordHash> hash = gate.run(() -> hasher.hash(change.newPassword()));
            if (hash.isEmpty()) {
                return new ChangePasswordResult.Busy(gate.retryAfter());
            }
            users.updatePasswordHash(user.id(), hash.get());
            // Every credential dies, this session included; the caller gets a fresh one (a new id on
            // a privilege change, so a session id seen before the change is worthless after it).
            int ended = revokeAllCredentials(user.id(), Optional.of(token.digest()));
            sessions.delete(token.digest());
            emit(AuthEventType.PASSWORD_CHANGED, Optional.of(user.id()), clientAddress);
            return new ChangePasswordResult.Changed(ended, startSession(user.id(), clientAddress, clock.instant()));
        } finally {
            wipe(change.currentPassword(), change.newPassword(), change.confirmPassword());
        }
    }

    /** Ends every session of the user ("log out everywhere"). @return how many ended */
    public int logoutEverywhere(UserId userId, String clientAddress) {
        int ended = revokeAllCredentials(Objects.requireNonNull(userId, "userId"), Optional.empty());
        emit(AuthEventType.SESSIONS_REVOKED, Optional.of(userId), clientAddress);
        return ended;
    }

    /** Ends every session of the token's user except this one. @return how many ended */
    public int logoutOtherSessions(SessionToken keep, String clientAddress) {
        Optional<CurrentUser> me = currentUser(keep);
        if (me.isEmpty()) {
            return 0;
        }
        int ended = revokeAllCredentials(me.get().id(), Optional.of(keep.digest()));
        emit(AuthEventType.SESSIONS_REVOKED, Optional.of(me.get().id()), clientAddress);
        return ended;
    }

    /** The user's sessions that have not expired, newest first. */
    public List<SessionRecord> activeSessions(UserId userId) {
        Instant now = clock.instant();
        return sessions.findAllForUser(userId).stream().filter(s -> !isExpired(s, now)).toList();
    }

    /** Disables the account and ends all its sessions; it can no longer log in. */
    public void disable(UserId userId, String clientAddress) {
        users.setDisabled(userId, true);
        revokeAllCredentials(userId, Optional.empty());
        emit(AuthEventType.ACCOUNT_DISABLED, Optional.of(userId), clientAddress);
    }

    /** Re-enables a disabled account. */
    public void enable(UserId userId) {
        users.setDisabled(userId, false);
    }

    /** Grants roles (replacing the previous set) for {@code isUserInRole}-style checks. */
    public void setRoles(UserId userId, Set<String> roles) {
        users.setRoles(userId, roles);
    }

    /**
     * Housekeeping, for a scheduler of your choice: deletes expired sessions and stale throttling
     * counters. @return how many records were removed
     */
    public int purgeExpired() {
        Instant now = clock.instant();
        return sessions.deleteExpired(now.minus(sessionPolicy.idleTimeout()), now.minus(sessionPolicy.absoluteTimeout()))
                + throttle.purge(now)
                + rememberMe.map(store -> store.deleteExpired(now)).orElse(0)
                + oneTimeTokens.map(store -> store.deleteExpired(now)).orElse(0);
    }

    /**
     * Ends every session of the user (but {@code keepSession}) and every credential the
     * registered revokers manage. @return how many sessions ended
     */
    private int revokeAllCredentials(UserId userId, Optional<TokenDigest> keepSession) {
        int ended = keepSession.isPresent()
                ? sessions.deleteAllForUserExcept(userId, keepSession.get())
                : sessions.deleteAllForUser(userId);
        rememberMe.ifPresent(store -> store.deleteAllForUser(userId));
        for (CredentialRevoker revoker : revokers) {
            revoker.revokeAll(userId);
        }
        return ended;
    }

    private SessionToken startSession(UserId userId, String clientAddress, Instant now) {
        SessionToken token = new SessionToken(tokens.next());
        sessions.insert(new SessionRecord(token.digest(), userId, now, now, clientAddress));
        return token;
    }

    private void emit(AuthEventType type, Optional<UserId> userId, String clientAddress) {
        AuthEvent event = new AuthEvent(type, clock.instant(), userId, clientAddress);
        for (AuthEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "auth event listener failed; event dropped", e);
            }
        }
    }

    /** The mail flows' way back to what stays here: sessions, revocation, audit events. */
    private final class MailFlowsFacade implements AccountMailFlows.Facade {

        @Override
        public Optional<CurrentUser> currentUser(SessionToken session) {
            return Portcullis.this.currentUser(session);
        }

        @Override
        public void revokeAllCredentials(UserId userId) {
            Portcullis.this.revokeAllCredentials(userId, Optional.empty());
        }

        @Override
        public void emit(AuthEventType type, Optional<UserId> userId, String clientAddress) {
            Portcullis.this.emit(type, userId, clientAddress);
        }
    }

    private static void wipe(RawPassword... passwords) {
        for (RawPassword p : passwords) {
            if (p != null) {
                p.close();
            }
        }
    }

    /**
     * Collects collaborators for a {@link Portcullis}. Mutable, single use; each setter checks its
     * argument, {@link #build()} names anything missing.
     */
    public static final class Builder {
        private UserStore userStore;
        private SessionStore sessionStore;
        private RememberMeStore rememberMeStore;
        private OneTimeTokenStore oneTimeTokenStore;
        private Mailer mailer;
        private Executor mailExecutor;
        private AccountLinks accountLinks;
        private RegistrationMode registrationMode = RegistrationMode.IMMEDIATE;
        private TokenLifetimes tokenLifetimes = TokenLifetimes.defaults();
        private AttemptStore attemptStore;
        private PasswordHasher passwordHasher;
        private PasswordPolicy passwordPolicy;
        private SessionPolicy sessionPolicy = SessionPolicy.defaults();
        private ThrottlePolicy throttlePolicy = ThrottlePolicy.defaults();
        private final List<AuthEventListener> listeners = new ArrayList<>();
        private final List<CredentialRevoker> revokers = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private SecureRandom random;
        private String serviceName = "";
        private boolean requireVerifiedEmail;
        private int hashingConcurrency = Runtime.getRuntime().availableProcessors();
        private Duration hashingMaxWait = Duration.ofSeconds(2);

        private Builder() {
        }

        public Builder userStore(UserStore value) {
            this.userStore = Objects.requireNonNull(value, "userStore");
            return this;
        }

        public Builder sessionStore(SessionStore value) {
            this.sessionStore = Objects.requireNonNull(value, "sessionStore");
            return this;
        }

        /** Enables remember-me (persistent login); optional. */
        public Builder rememberMeStore(RememberMeStore value) {
            this.rememberMeStore = Objects.requireNonNull(value, "rememberMeStore");
            return this;
        }

        /** Store for verification, reset and email-change tokens; required with a mailer. */
        public Builder oneTimeTokenStore(OneTimeTokenStore value) {
            this.oneTimeTokenStore = Objects.requireNonNull(value, "oneTimeTokenStore");
            return this;
        }

        /**
         * Enables email verification, password reset and email change. Requires
         * {@link #oneTimeTokenStore} and {@link #accountLinks}.
         */
        public Builder mailer(Mailer value) {
            this.mailer = Objects.requireNonNull(value, "mailer");
            return this;
        }

        /**
         * Runs mail work; default a single daemon thread owned (and closed) by the instance. Tests
         * may pass {@code Runnable::run}.
         */
        public Builder mailExecutor(Executor value) {
            this.mailExecutor = Objects.requireNonNull(value, "mailExecutor");
            return this;
        }

        /** Where mailed links point. */
        public Builder accountLinks(AccountLinks value) {
            this.accountLinks = Objects.requireNonNull(value, "accountLinks");
            return this;
        }

        /** Default {@link RegistrationMode#IMMEDIATE}. */
        public Builder registrationMode(RegistrationMode value) {
            this.registrationMode = Objects.requireNonNull(value, "registrationMode");
            return this;
        }

        public Builder tokenLifetimes(TokenLifetimes value) {
            this.tokenLifetimes = Objects.requireNonNull(value, "tokenLifetimes");
            return this;
        }

        public Builder attemptStore(AttemptStore value) {
            this.attemptStore = Objects.requireNonNull(value, "attemptStore");
            return this;
        }

        /** Typically {@code DelegatingPasswordHasher.argon2idWithBcryptUpgrade()}. */
        public Builder passwordHasher(PasswordHasher value) {
            this.passwordHasher = Objects.requireNonNull(value, "passwordHasher");
            return this;
        }

        /** Default {@link PasswordPolicy#defaults()}. */
        public Builder passwordPolicy(PasswordPolicy value) {
            this.passwordPolicy = Objects.requireNonNull(value, "passwordPolicy");
            return this;
        }

        public Builder sessionPolicy(SessionPolicy value) {
            this.sessionPolicy = Objects.requireNonNull(value, "sessionPolicy");
            return this;
        }

        public Builder throttlePolicy(ThrottlePolicy value) {
            this.throttlePolicy = Objects.requireNonNull(value, "throttlePolicy");
            return this;
        }

        /** Adds an audit listener; call repeatedly for several. */
        public Builder eventListener(AuthEventListener value) {
            this.listeners.add(Objects.requireNonNull(value, "eventListener"));
            return this;
        }

        /**
         * Adds a revoker for credentials kept outside the core (refresh tokens, API keys), called
         * whenever all of a user's credentials must die; call repeatedly for several.
         */
        public Builder credentialRevoker(CredentialRevoker value) {
            this.revokers.add(Objects.requireNonNull(value, "credentialRevoker"));
            return this;
        }

        /** Default {@link Clock#systemUTC()}; tests pass a clock they can move. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Source of session tokens; default a new {@link SecureRandom}. */
        public Builder secureRandom(SecureRandom value) {
            this.random = Objects.requireNonNull(value, "secureRandom");
            return this;
        }

        /** Name of the application; passwords built on it are refused. */
        public Builder serviceName(String value) {
            this.serviceName = Objects.requireNonNull(value, "serviceName").strip();
            return this;
        }

        /** Refuse login ({@link LoginResult.EmailNotVerified}) until the address is verified. Default off. */
        public Builder requireVerifiedEmail(boolean value) {
            this.requireVerifiedEmail = value;
            return this;
        }

        /** At most this many password hashes/verifies at once; default the number of cores. */
        public Builder hashingConcurrency(int value) {
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("hashingConcurrency must be 1..1024, was " + value);
            }
            this.hashingConcurrency = value;
            return this;
        }

        /** How long a caller waits for a hashing slot before getting "busy"; default 2 s. */
        public Builder hashingMaxWait(Duration value) {
            Objects.requireNonNull(value, "hashingMaxWait");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("hashingMaxWait must be 0..1 min, was " + value);
            }
            this.hashingMaxWait = value;
            return this;
        }

        public Portcullis build() {
            require(userStore, "userStore");
            require(sessionStore, "sessionStore");
            require(attemptStore, "attemptStore");
            require(passwordHasher, "passwordHasher");
            if (passwordPolicy == null) {
                passwordPolicy = PasswordPolicy.defaults();
            }
            if (mailer != null) {
                require(oneTimeTokenStore, "oneTimeTokenStore");
                require(accountLinks, "accountLinks");
            }
            if (registrationMode == RegistrationMode.VERIFY_FIRST) {
                require(mailer, "mailer");
            }
            if (random == null) {
                random = new SecureRandom();
            }
            return new Portcullis(this);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required: call Portcullis.builder()." + name + "(...)");
            }
        }
    }
}
