package dev.portcullis;

import dev.portcullis.account.Accounts;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.PasswordResets;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationMode;
import dev.portcullis.internal.CacheEviction;
import dev.portcullis.identity.Identities;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.HashingGate;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.mfa.SecondFactors;
import dev.portcullis.passkey.Passkeys;
import dev.portcullis.model.Credentials;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.RememberMe;
import dev.portcullis.session.Sessions;
import dev.portcullis.token.ApiKeys;
import dev.portcullis.token.TokenSettings;
import dev.portcullis.token.TokenState;
import dev.portcullis.token.Tokens;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The composition root: built once with {@link #builder()}, it hands out the feature services —
 * {@link #sessions()}, {@link #rememberMe()}, {@link #accounts()}, {@link #passwordResets()},
 * {@link #tokens()}, {@link #apiKeys()}, {@link #secondFactors()} — which share one hashing limit, throttle, lookup cache,
 * revocation routine and audit emitter. Immutable and thread-safe; share one instance.
 *
 * <pre>{@code
 * Portcullis auth = Portcullis.builder()
 *         .stores(JdbcStores.create(dataSource))          // or InMemoryStores.create()
 *         .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
 *         .build();
 * LoginResult result = auth.sessions().login(new Credentials(email, password), clientAddress);
 * }</pre>
 *
 * <p>Expected outcomes come back as sealed results; only infrastructure faults throw, as
 * {@link dev.portcullis.spi.PortcullisException} subclasses.
 */
public final class Portcullis implements AutoCloseable {

    private final Core core;
    private final Sessions sessions;
    private final RememberMe rememberMe;
    private final Accounts accounts;
    private final PasswordResets passwordResets;
    private final Optional<Tokens> tokens;
    private final Optional<ApiKeys> apiKeys;
    private final RevocationBus.Subscription busSubscription;
    private final SecondFactors secondFactors;
    private final Optional<Identities> identities;
    private final Passkeys passkeys;
    private static final String NO_TOKENS = "tokens are not configured: call Portcullis.builder().tokens(TokenSettings...)";

    Portcullis(PortcullisBuilder b) {
        Optional<TokenState> tokenState = Optional.ofNullable(b.tokens).map(t -> new TokenState(
                b.stores.refreshTokens().orElseThrow(), b.stores.apiKeys().orElseThrow(), b.stores.tokenEpochs(),
                b.revocationBus));
        List<CredentialRevoker> revokers = new ArrayList<>(b.revokers);
        tokenState.ifPresent(revokers::add);
        Optional<MailSettings> mail = Optional.ofNullable(b.mail);
        this.core = Core.assemble(new Core.Parts(b.stores.users(), b.stores.sessions(), b.stores.attempts(),
                b.stores.rememberMe(), b.stores.oneTimeTokens(), b.passwordHasher, b.passwordPolicy, b.sessionPolicy,
                b.throttlePolicy, b.listeners, revokers, b.clock, b.random, b.serviceName,
                b.requireVerifiedEmail || b.registrationMode == RegistrationMode.VERIFY_FIRST, b.hashingConcurrency,
                b.hashingMaxWait, b.hashingMaxWaiting.orElse(HashingGate.defaultMaxWaiting(b.hashingConcurrency)),
                b.hashingIdlePriority, mail.map(MailSettings::mailer), mail.flatMap(MailSettings::executor).orElse(null),
                Optional.ofNullable(b.deviceTokenKey), b.roleGrants, b.stores.secondFactors(),
                b.stores.pendingSignIns(), Optional.ofNullable(b.secondFactorKey), b.secondFactorPolicy), b.revocationBus);
        this.busSubscription = b.revocationBus.subscribe(new CacheEviction(core.lookupCache(),
                tokenState.<List<RevocationListener>>map(List::of).orElse(List.of())));
        this.sessions = new Sessions(core);
        this.rememberMe = new RememberMe(core);
        this.accounts = new Accounts(core, mail, b.registrationMode);
        this.passwordResets = new PasswordResets(core, mail);
        this.tokens = tokenState.map(s -> new Tokens(core, b.tokens, s));
        this.apiKeys = tokenState.map(s -> new ApiKeys(core, b.tokens, s));
        this.secondFactors = new SecondFactors(core);
        Accounts mailing = accounts;
        this.identities = Optional.ofNullable(b.identityStore).or(b.stores::identities)
                .map(store -> new Identities(core, store, (email, address) -> {
                    if (mailing.mailEnabled()) {
                        mailing.resendVerification(email, address);
                    }
                }));
        this.passkeys = new Passkeys(core, Optional.ofNullable(b.passkeys));
    }

    public static PortcullisBuilder builder() {
        return new PortcullisBuilder();
    }

    /** Password sign-in, the current user, logout, sessions elsewhere. */
    public Sessions sessions() {
        return sessions;
    }

    /** Persistent login; {@link RememberMe#enabled()} tells whether the stores support it. */
    public RememberMe rememberMe() {
        return rememberMe;
    }

    /** Registration, verification, password and address change, disable, roles. */
    public Accounts accounts() {
        return accounts;
    }

    /** "Forgot password" (needs {@link PortcullisBuilder#mail}). */
    public PasswordResets passwordResets() {
        return passwordResets;
    }

    /**
     * Two-factor sign-in: enrolment, removal, recovery codes; {@link SecondFactors#enabled()} tells
     * whether it is configured ({@link Stores#withSecondFactors} and {@link PortcullisBuilder#secondFactorKey}).
     */
    public SecondFactors secondFactors() {
        return secondFactors;
    }

    /**
     * Passkeys: add one, sign in with one alone or as the second factor, list, rename, delete;
     * {@link Passkeys#enabled()} tells whether they are configured ({@link PortcullisBuilder#passkeys}).
     */
    public Passkeys passkeys() {
        return passkeys;
    }

    /** @throws IllegalStateException unless {@link PortcullisBuilder#tokens} was configured */
    public Tokens tokens() {
        return tokens.orElseThrow(() -> new IllegalStateException(NO_TOKENS));
    }

    /** @throws IllegalStateException unless {@link PortcullisBuilder#tokens} was configured */
    public ApiKeys apiKeys() {
        return apiKeys.orElseThrow(() -> new IllegalStateException(NO_TOKENS));
    }

    /**
     * Sign-in with external identities (OpenID Connect, through auth-oidc) and their links to accounts.
     *
     * @throws IllegalStateException unless {@link PortcullisBuilder#identityStore} was configured or the stores have one
     */
    public Identities identities() {
        return identities.orElseThrow(() -> new IllegalStateException(
                "identities are not configured: call Portcullis.builder().identityStore(...)"));
    }

    /** Whether {@link PortcullisBuilder#tokens} was configured. */
    public boolean tokensEnabled() {
        return tokens.isPresent();
    }

    /**
     * Housekeeping, for a scheduler of your choice: deletes expired sessions, stale throttling
     * counters, expired remember-me tokens, one-time links, refresh tokens and API keys.
     *
     * @return how many records were removed
     */
    public int purgeExpired() {
        return core.purgeExpired() + tokens.map(Tokens::purgeExpired).orElse(0) + passkeys.purgeExpired();
    }

    /**
     * Ends the threads this instance started (mail, hashing), letting queued mail finish, and
     * unsubscribes from the revocation bus (which its creator closes).
     */
    @Override
    public void close() {
        busSubscription.close();
        core.close();
    }
}
