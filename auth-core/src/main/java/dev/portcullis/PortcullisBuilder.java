package dev.portcullis;

import dev.portcullis.account.MailSettings;
import dev.portcullis.account.RegistrationMode;
import dev.portcullis.internal.HashingGate;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.policy.RoleGrants;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.token.TokenSettings;
import dev.portcullis.password.PasswordPolicy;
import dev.portcullis.spi.AuthEventListener;
import dev.portcullis.spi.CredentialRevoker;
import dev.portcullis.spi.IdentityStore;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.RevocationBus;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Collects the settings of a {@link Portcullis} ({@link Portcullis#builder()}). Mutable, single use; each setter checks its
 * argument at once, {@link #build()} names anything missing or contradictory.
 */
public final class PortcullisBuilder {
    Stores stores;
    PasswordHasher passwordHasher;
    PasswordPolicy passwordPolicy = PasswordPolicy.defaults();
    SessionPolicy sessionPolicy = SessionPolicy.defaults();
    ThrottlePolicy throttlePolicy = ThrottlePolicy.defaults();
    MailSettings mail;
    RegistrationMode registrationMode = RegistrationMode.IMMEDIATE;
    boolean requireVerifiedEmail;
    TokenSettings tokens;
    final List<AuthEventListener> listeners = new ArrayList<>();
    final List<CredentialRevoker> revokers = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    SecureRandom random;
    String serviceName = "";
    int hashingConcurrency = Runtime.getRuntime().availableProcessors();
    Duration hashingMaxWait = Duration.ofSeconds(2);
    OptionalInt hashingMaxWaiting = OptionalInt.empty();
    boolean hashingIdlePriority = true;
    byte[] deviceTokenKey;
    RoleGrants roleGrants = RoleGrants.none();
    RevocationBus revocationBus = RevocationBus.none();
    byte[] secondFactorKey;
    SecondFactorPolicy secondFactorPolicy = SecondFactorPolicy.defaults();
    IdentityStore identityStore;
    PasskeySettings passkeys;

    PortcullisBuilder() {
    }

    /** Required: {@code InMemoryStores.create()}, {@code JdbcStores.create(dataSource)} or {@link Stores#of}. */
    public PortcullisBuilder stores(Stores value) {
        this.stores = Objects.requireNonNull(value, "stores");
        return this;
    }

    /** Required; typically {@code DelegatingPasswordHasher.argon2idWithBcryptUpgrade()}. */
    public PortcullisBuilder passwordHasher(PasswordHasher value) {
        this.passwordHasher = Objects.requireNonNull(value, "passwordHasher");
        return this;
    }

    /** Default {@link PasswordPolicy#defaults()}. */
    public PortcullisBuilder passwordPolicy(PasswordPolicy value) {
        this.passwordPolicy = Objects.requireNonNull(value, "passwordPolicy");
        return this;
    }

    /** Timeouts, remember-me and lookup-cache settings; default {@link SessionPolicy#defaults()}. */
    public PortcullisBuilder sessionPolicy(SessionPolicy value) {
        this.sessionPolicy = Objects.requireNonNull(value, "sessionPolicy");
        return this;
    }

    /** Default {@link ThrottlePolicy#defaults()}. */
    public PortcullisBuilder throttlePolicy(ThrottlePolicy value) {
        this.throttlePolicy = Objects.requireNonNull(value, "throttlePolicy");
        return this;
    }

    /** Enables email verification, password reset and email change; needs a one-time token store. */
    public PortcullisBuilder mail(MailSettings value) {
        this.mail = Objects.requireNonNull(value, "mail");
        return this;
    }

    /** Default {@link RegistrationMode#IMMEDIATE}; {@link RegistrationMode#VERIFY_FIRST} needs {@link #mail}. */
    public PortcullisBuilder registrationMode(RegistrationMode value) {
        this.registrationMode = Objects.requireNonNull(value, "registrationMode");
        return this;
    }

    /** Refuse sign-in ({@code EmailNotVerified}) until the address is verified. Default off. */
    public PortcullisBuilder requireVerifiedEmail(boolean value) {
        this.requireVerifiedEmail = value;
        return this;
    }

    /** Enables {@link Portcullis#tokens()} and {@link Portcullis#apiKeys()}; needs refresh-token and API-key stores. */
    public PortcullisBuilder tokens(TokenSettings value) {
        this.tokens = Objects.requireNonNull(value, "tokens");
        return this;
    }

    /**
     * At most {@code concurrency} (1..1024, default the cores) hashes at once; callers wait up to
     * {@code maxWait} (0..1 min, default 2 s), then get "busy". At most 8 × {@code concurrency}
     * (at least 64) callers wait at once; any caller beyond them gets "busy" at once (see
     * {@link #hashingLimits(int, Duration, int)}).
     */
    public PortcullisBuilder hashingLimits(int concurrency, Duration maxWait) {
        return hashingLimits(concurrency, maxWait, HashingGate.defaultMaxWaiting(concurrency));
    }

    /**
     * As {@link #hashingLimits(int, Duration)}, and at most {@code maxWaiting} (0..8192) callers
     * waiting for a slot at once. A caller beyond them is answered "busy" (503 with
     * {@code Retry-After} over HTTP) at once instead of holding its container thread for up to
     * {@code maxWait}: under a login flood from many addresses that keeps the container's
     * threads free for signed-in users. Default 8 × {@code concurrency}, at least 64.
     */
    public PortcullisBuilder hashingLimits(int concurrency, Duration maxWait, int maxWaiting) {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("hashing concurrency must be 1..1024, was " + concurrency);
        }
        if (Objects.requireNonNull(maxWait, "maxWait").isNegative() || maxWait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("hashing maxWait must be 0..1 min, was " + maxWait);
        }
        if (maxWaiting < 0 || maxWaiting > 8192) {
            throw new IllegalArgumentException("hashing maxWaiting must be 0..8192, was " + maxWaiting);
        }
        this.hashingConcurrency = concurrency;
        this.hashingMaxWait = maxWait;
        this.hashingMaxWaiting = OptionalInt.of(maxWaiting);
        return this;
    }

    /**
     * Whether the hashing threads run in Linux's {@code SCHED_IDLE} scheduling class (default
     * {@code true}; other systems ignore it). A hash then gets only CPU time that no other
     * thread wants, so a login flood does not slow signed-in users down. The price: anything
     * else busy on the same CPUs — another process in the same cgroup, a batch job — comes
     * first too, and sign-ins wait (and are answered "busy") until it leaves CPU time free.
     * Turn it off where the application shares its CPUs with steady other work.
     */
    public PortcullisBuilder hashingIdlePriority(boolean value) {
        this.hashingIdlePriority = value;
        return this;
    }

    /**
     * The HMAC key of device tokens (the device cookies that keep a browser's own throttling
     * budget, see {@link ThrottlePolicy}): at least 32 bytes of secret randomness. Give every
     * node of a cluster the same key, or a browser's device token is trusted only by the node
     * that issued it. Default: a random key per instance, so device tokens die on restart
     * (their browsers are untrusted until their next sign-in). Changing the key distrusts every
     * device at once. The array is copied.
     */
    public PortcullisBuilder deviceTokenKey(byte[] key) {
        Objects.requireNonNull(key, "deviceTokenKey");
        if (key.length < 32) {
            throw new IllegalArgumentException("deviceTokenKey must be at least 32 bytes, was " + key.length);
        }
        this.deviceTokenKey = key.clone();
        return this;
    }

    /**
     * Carries revocations between the nodes of a cluster: every logout, revocation and account
     * change made through this instance is published, and every one received evicts this
     * instance's caches (session lookups, bearer accounts, token epochs). With a bus the lookup
     * cache lives for {@link SessionPolicy#lookupCacheTtlWithBus()} (default 30 s) instead of
     * {@link SessionPolicy#lookupCacheTtl()} (default 1 s), which still applies while the bus
     * is down. The bus is not closed by {@link Portcullis#close()}. Default
     * {@link RevocationBus#none()} (one node). See {@code docs/guide/several-nodes.md}.
     */
    public PortcullisBuilder revocationBus(RevocationBus value) {
        this.revocationBus = Objects.requireNonNull(value, "revocationBus");
        return this;
    }

    /**
     * The key that seals authenticator-app secrets at rest (AES-256-GCM) and keys the digests of
     * recovery codes: at least 32 bytes of secret randomness, kept out of the database (an
     * environment secret, a key vault), the same on every node. Required exactly when the
     * stores include the second-factor stores ({@link Stores#withSecondFactors}); there is no
     * random default, because secrets sealed under a key that dies with the process would lock
     * every enrolled user out at the next restart. Losing or changing the key makes every
     * enrolment and recovery code unusable (such users then sign in only after an
     * administrator removes their factor). The array is copied.
     */
    public PortcullisBuilder secondFactorKey(byte[] key) {
        Objects.requireNonNull(key, "secondFactorKey");
        if (key.length < 32) {
            throw new IllegalArgumentException("secondFactorKey must be at least 32 bytes, was " + key.length);
        }
        this.secondFactorKey = key.clone();
        return this;
    }

    /**
     * Switches passkeys on: relying party, origins, user verification, stores and verifier
     * ({@code auth-webauthn}). As a second factor they need the second-factor stores too.
     */
    public PortcullisBuilder passkeys(PasskeySettings value) {
        this.passkeys = Objects.requireNonNull(value, "passkeys");
        return this;
    }

    /** Who must have a second factor, and the step-up window; default {@link SecondFactorPolicy#defaults()}. */
    public PortcullisBuilder secondFactorPolicy(SecondFactorPolicy value) {
        this.secondFactorPolicy = Objects.requireNonNull(value, "secondFactorPolicy");
        return this;
    }

    /**
     * Enables {@link Portcullis#identities()}, sign-in with external identities (auth-oidc): where the links
     * between (issuer, subject) and accounts are kept — {@code new InMemoryIdentityStore()} or
     * {@code JdbcIdentityStore}. Default: the stores' own ({@link Stores#identities()}; the full
     * sets {@code InMemoryStores.create()} and {@code JdbcStores.create(..)} have one), else none
     * (the feature is off).
     */
    public PortcullisBuilder identityStore(IdentityStore value) {
        this.identityStore = Objects.requireNonNull(value, "identityStore");
        return this;
    }

    /** Adds an audit listener; call repeatedly for several. */
    public PortcullisBuilder eventListener(AuthEventListener value) {
        this.listeners.add(Objects.requireNonNull(value, "eventListener"));
        return this;
    }

    /** Adds a revoker for the application's own credentials, called whenever all of a user's credentials must die. */
    public PortcullisBuilder credentialRevoker(CredentialRevoker value) {
        this.revokers.add(Objects.requireNonNull(value, "credentialRevoker"));
        return this;
    }

    /** Name of the application; passwords built on it are refused. */
    public PortcullisBuilder serviceName(String value) {
        this.serviceName = Objects.requireNonNull(value, "serviceName").strip();
        return this;
    }

    /** Default {@link Clock#systemUTC()}; tests pass a clock they can move. */
    public PortcullisBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /** Roles given by configuration, to verified addresses at sign-in; default none. */
    public PortcullisBuilder roleGrants(RoleGrants value) {
        this.roleGrants = Objects.requireNonNull(value, "roleGrants");
        return this;
    }

    /** Source of every secret; default a new {@link SecureRandom}. */
    public PortcullisBuilder secureRandom(SecureRandom value) {
        this.random = Objects.requireNonNull(value, "secureRandom");
        return this;
    }

    public Portcullis build() {
        require(stores != null, "stores is required: call Portcullis.builder().stores(InMemoryStores.create()) or JdbcStores.create(dataSource)");
        require(passwordHasher != null, "passwordHasher is required: call Portcullis.builder().passwordHasher(...)");
        require(mail == null || stores.oneTimeTokens().isPresent(), "mail needs a OneTimeTokenStore: use Stores.withOneTimeTokens(...)");
        require(registrationMode != RegistrationMode.VERIFY_FIRST || mail != null,
                "VERIFY_FIRST needs mail: call Portcullis.builder().mail(MailSettings.of(mailer, links))");
        require(tokens == null || (stores.refreshTokens().isPresent() && stores.apiKeys().isPresent()),
                "tokens need a RefreshTokenStore and an ApiKeyStore: use Stores.withRefreshTokens(..).withApiKeys(..)");
        require(tokens == null || !tokens.strictMode() || stores.tokenEpochs().isPresent(),
                "strict mode needs a TokenEpochStore: use Stores.withTokenEpochs(...)");
        require(stores.secondFactors().isEmpty() || secondFactorKey != null,
                "the second-factor stores need a key: call Portcullis.builder().secondFactorKey(32+ secret bytes)");
        require(secondFactorKey == null || stores.secondFactors().isPresent(),
                "secondFactorKey needs the second-factor stores: use stores.withSecondFactors(...)");
        if (random == null) {
            random = new SecureRandom();
        }
        return new Portcullis(this);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
