package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryApiKeyStore;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryRefreshTokenStore;
import dev.portcullis.memory.InMemoryRevocationBus;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryTokenEpochStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import dev.portcullis.spi.StoreException;
import dev.portcullis.token.AccessTokenKeys;
import dev.portcullis.token.AccessTokenVerification;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenIssueResult;
import dev.portcullis.token.TokenSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code Portcullis} instances ("nodes") on shared stores, joined by an {@link InMemoryRevocationBus}:
 * every change on one evicts the other's caches at once; with the bus down the short TTL bounds
 * the delay; a reconnect flushes. The transport-specific buses (PostgreSQL, Redis) are proved on
 * their servers by the same kind of test in their modules.
 */
class RevocationBusTest {

    static final String PASSWORD = PortcullisTest.PASSWORD;
    static final String NEW_PASSWORD = "quiet orange bicycle harbour";
    static final String ADDRESS = PortcullisTest.ADDRESS;

    final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    final InMemoryUserStore users = new InMemoryUserStore();
    final InMemorySessionStore sessions = new InMemorySessionStore();
    final InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore();
    final InMemoryTokenEpochStore epochs = new InMemoryTokenEpochStore();
    final Stores stores = Stores.of(users, sessions, new InMemoryAttemptStore()).withRefreshTokens(refreshTokens)
            .withApiKeys(new InMemoryApiKeyStore()).withTokenEpochs(epochs);
    final InMemoryRevocationBus bus = new InMemoryRevocationBus();
    final List<Portcullis> nodes = new ArrayList<>();

    static final TokenSettings TOKENS = TokenSettings.builder()
            .keys(AccessTokenKeys.of(SigningKey.hmac("k1", new byte[32])))
            .issuer("https://auth.example.com").audience("https://api.example.com")
            .strictMode(true, Duration.ofSeconds(5)).build();

    Portcullis node(RevocationBus revocationBus) {
        Portcullis node = Portcullis.builder().stores(stores).passwordHasher(new FastHasher()).clock(clock)
                .tokens(TOKENS).revocationBus(revocationBus).build();
        nodes.add(node);
        return node;
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Portcullis::close);
    }

    RegistrationResult.Registered register(Portcullis node, String email) {
        return (RegistrationResult.Registered) node.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
    }

    SessionToken login(Portcullis node, String email) {
        return ((LoginResult.Success) node.sessions().login(
                new Credentials(email, RawPassword.of(PASSWORD)), ADDRESS)).session();
    }

    @Test
    void aLogoutOnOneNodeIsRefusedByTheOtherAtOnce() {
        Portcullis a = node(bus);
        Portcullis b = node(bus);
        SessionToken session = register(a, "alice@example.com").session();
        assertThat(b.sessions().currentUser(session)).isPresent(); // now cached on b, for 30 s

        a.sessions().logout(session, ADDRESS);

        assertThat(b.sessions().currentUser(session)).isEmpty();
    }

    @Test
    void withoutABusTheOtherNodeAcceptsTheEndedSessionUntilItsTtl() {
        Portcullis a = node(RevocationBus.none());
        Portcullis b = node(RevocationBus.none());
        SessionToken session = register(a, "alice@example.com").session();
        assertThat(b.sessions().currentUser(session)).isPresent();

        a.sessions().logout(session, ADDRESS);

        assertThat(b.sessions().currentUser(session)).as("within the 1 s TTL").isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.sessions().currentUser(session)).isEmpty();
    }

    @Test
    void aPasswordChangeOnOneNodeEndsTheUsersOtherSessionsOnTheOther() {
        Portcullis a = node(bus);
        Portcullis b = node(bus);
        RegistrationResult.Registered alice = register(a, "alice@example.com");
        SessionToken elsewhere = login(b, "alice@example.com");
        assertThat(b.sessions().currentUser(elsewhere)).isPresent();

        ChangePasswordResult changed = a.accounts().changePassword(alice.session(), new PasswordChange(
                RawPassword.of(PASSWORD), RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), ADDRESS);

        assertThat(changed).isInstanceOf(ChangePasswordResult.Changed.class);
        assertThat(b.sessions().currentUser(elsewhere)).isEmpty();
    }

    @Test
    void disableAndRolesOnOneNodeReachTheOthersCachedAccounts() {
        Portcullis a = node(bus);
        Portcullis b = node(bus);
        UserId alice = register(a, "alice@example.com").userId();
        assertThat(b.tokens().account(alice)).isPresent(); // cached on b

        a.accounts().setRoles(alice, Set.of("admin"));
        assertThat(b.tokens().account(alice).orElseThrow().roles()).containsExactly("admin");

        a.accounts().disable(alice, ADDRESS);
        assertThat(b.tokens().account(alice)).isEmpty();
    }

    @Test
    void strictModeRefusesAnAccessTokenOnTheOtherNodeAtOnceAfterLogoutEverywhere() {
        Portcullis a = node(bus);
        Portcullis b = node(bus);
        register(a, "alice@example.com");
        TokenIssueResult.Issued issued = (TokenIssueResult.Issued) a.tokens().issue(
                new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS);
        String access = issued.tokens().accessToken();
        assertThat(b.tokens().verifyAccessToken(access)).isInstanceOf(AccessTokenVerification.Valid.class);

        a.sessions().logoutEverywhere(issued.userId(), ADDRESS);

        assertThat(b.tokens().verifyAccessToken(access)).as("the epoch cache (5 s) was evicted")
                .isInstanceOf(AccessTokenVerification.Invalid.class);
    }

    @Test
    void withTheBusTheCacheLivesThirtySecondsForChangesNobodyPublished() {
        Portcullis b = node(bus);
        SessionToken session = register(b, "alice@example.com").session();
        assertThat(b.sessions().currentUser(session)).isPresent();

        sessions.delete(session.digest()); // written straight into the store: no event

        clock.advance(Duration.ofSeconds(29));
        assertThat(b.sessions().currentUser(session)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.sessions().currentUser(session)).isEmpty();
    }

    @Test
    void whileTheBusIsDownTheShortTtlBoundsTheDelayAndAReconnectFlushes() {
        Portcullis a = node(bus);
        Portcullis b = node(bus);
        SessionToken first = register(a, "alice@example.com").session();
        SessionToken second = login(a, "alice@example.com");
        assertThat(b.sessions().currentUser(first)).isPresent();
        assertThat(b.sessions().currentUser(second)).isPresent();

        bus.disconnect();
        a.sessions().logout(first, ADDRESS); // the event is lost
        assertThat(b.sessions().currentUser(first)).as("within the 1 s fallback TTL").isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.sessions().currentUser(first)).isEmpty();

        assertThat(b.sessions().currentUser(second)).isPresent(); // cached again, still down
        sessions.delete(second.digest());
        bus.reconnect();
        assertThat(b.sessions().currentUser(second)).as("the reconnect flushed the cache").isEmpty();
    }

    @Test
    void aBusThatIsDownWhenANodeStartsGivesItTheShortTtl() {
        bus.disconnect();
        Portcullis b = node(bus);
        SessionToken session = register(b, "alice@example.com").session();
        sessions.delete(session.digest());

        clock.advance(Duration.ofSeconds(1));

        assertThat(b.sessions().currentUser(session)).isEmpty();
    }

    @Test
    void aFailingBusNeitherBreaksALogoutNorHidesIt() {
        RevocationBus failing = new RevocationBus() {
            @Override
            public void publish(RevocationEvent event) {
                throw new StoreException("bus down", new java.io.IOException("connection refused"));
            }

            @Override
            public Subscription subscribe(RevocationListener listener) {
                return () -> {
                };
            }
        };
        Portcullis a = node(failing);
        SessionToken session = register(a, "alice@example.com").session();

        a.sessions().logout(session, ADDRESS);

        assertThat(a.sessions().currentUser(session)).isEmpty();
        assertThat(sessions.find(session.digest())).isEmpty();
    }

    @Test
    void everyKindOfChangeIsPublishedOnce() {
        List<RevocationEvent> seen = new ArrayList<>();
        bus.subscribe(seen::add);
        Portcullis a = node(bus);
        RegistrationResult.Registered alice = register(a, "alice@example.com");
        TokenIssueResult.Issued issued = (TokenIssueResult.Issued) a.tokens().issue(
                new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS);
        seen.clear();

        a.sessions().logout(alice.session(), ADDRESS);
        assertThat(seen).containsExactly(new RevocationEvent.SessionEnded(alice.session().digest()));
        seen.clear();

        a.tokens().revoke(issued.tokens().refreshToken());
        assertThat(seen).singleElement().isInstanceOf(RevocationEvent.RefreshFamilyRevoked.class);
        seen.clear();

        a.sessions().logoutEverywhere(alice.userId(), ADDRESS);
        assertThat(seen).containsExactlyInAnyOrder(new RevocationEvent.UserSessionsEnded(alice.userId()),
                new RevocationEvent.TokenEpochAdvanced(alice.userId()));
        seen.clear();

        a.accounts().disable(alice.userId(), ADDRESS);
        assertThat(seen).contains(new RevocationEvent.AccountChanged(alice.userId()));
    }

    @Test
    void closingANodeUnsubscribesIt() {
        Portcullis a = node(bus);
        assertThat(bus.subscribers()).isEqualTo(1);

        a.close();

        assertThat(bus.subscribers()).isZero();
    }

    @Test
    void eventsRoundTripTheirWireFormAndForeignTextIsIgnored() {
        TokenDigest digest = TokenDigest.of("x");
        UserId user = new UserId("42");
        for (RevocationEvent e : List.of(new RevocationEvent.SessionEnded(digest), new RevocationEvent.UserSessionsEnded(user),
                new RevocationEvent.AccountChanged(user), new RevocationEvent.RefreshFamilyRevoked("fam-1"),
                new RevocationEvent.TokenEpochAdvanced(user))) {
            assertThat(RevocationEvent.fromWire(e.toWire())).contains(e);
        }
        assertThat(e("s:" + digest.hex())).contains(new RevocationEvent.SessionEnded(digest));
        for (String junk : new String[] {null, "", "s:", "s:nothex", "x:1", "hello", "u" + ":" + " "}) {
            assertThat(e(junk)).isEmpty();
        }
    }

    private static Optional<RevocationEvent> e(String wire) {
        return RevocationEvent.fromWire(wire);
    }
}
