package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.PasswordHasher;
import dev.portcullis.spi.RevocationBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several {@code Portcullis} instances ("nodes") on one shared storage, each with its own
 * {@link RevocationBus} connection, as a cluster behind a load balancer runs them: a logout or a
 * password change on one node is refused by the others within 100 ms; with a node's bus connection
 * dropped, the short TTL bounds the delay and the reconnect flushes; throttling counts guesses
 * spread over the nodes as one. Extend it with the stores and the bus of your set-up.
 *
 * <p>Time: the nodes share {@link #clock}, which the TTL tests move. Deliveries are polled against
 * a deadline; the 100 ms requirement is asserted on the median of several logouts (each must
 * arrive within {@link RevocationBusContract#DELIVERY}), so one slow run on a loaded machine does
 * not fail the build, and the measured latencies are printed.
 */
public abstract class SeveralNodesContract {

    protected static final String PASSWORD = "violet tractor umbrella seventeen";
    protected static final String NEW_PASSWORD = "copper lantern orchard ninety";
    protected static final String ADDRESS = "203.0.113.9";
    /** The requirement: a revocation on one node is refused by the others within this. */
    protected static final Duration REVOCATION_LATENCY = Duration.ofMillis(100);

    /** Shared by every node; the TTL tests move it. */
    protected final MutableClock clock = MutableClock.startingAt2030();
    /** Counts every verify on every node. */
    protected final CountingHasher hasher = new CountingHasher();

    private final List<Portcullis> nodes = new ArrayList<>();
    private final List<AutoCloseable> buses = new ArrayList<>();
    private Stores stores;

    /** The stores every node shares, empty; called once per test. */
    protected abstract Stores sharedStores();

    /** One node's bus, its own connection, reconnecting {@code reconnectAfter} after a loss. */
    protected abstract RevocationBus newBus(Duration reconnectAfter);

    /** Ends {@code bus}'s listening connection from the server side. */
    protected abstract void dropConnection(RevocationBus bus) throws Exception;

    /** A verify that costs microseconds, counted: unsalted SHA-256, for tests only. */
    protected static final class CountingHasher implements PasswordHasher {
        private static final String PREFIX = "$test-sha256$";
        public final AtomicInteger verifies = new AtomicInteger();

        @Override
        public PasswordHash hash(RawPassword password) {
            return new PasswordHash(PREFIX + TokenDigest.of(new String(password.normalized())).hex());
        }

        @Override
        public boolean verify(RawPassword password, PasswordHash hash) {
            verifies.incrementAndGet();
            return hash.encoded().equals(hash(password).encoded());
        }

        @Override
        public boolean supports(PasswordHash hash) {
            return hash.encoded().startsWith(PREFIX);
        }

        @Override
        public boolean needsRehash(PasswordHash hash) {
            return false;
        }
    }

    /** A node on the shared stores with a bus of its own. */
    protected final Portcullis node(Duration reconnectAfter, ThrottlePolicy throttle) {
        return node(newTrackedBus(reconnectAfter), throttle);
    }

    protected final Portcullis node(RevocationBus bus, ThrottlePolicy throttle) {
        if (stores == null) {
            stores = sharedStores();
        }
        Portcullis node = Portcullis.builder().stores(stores).passwordHasher(hasher).clock(clock)
                .throttlePolicy(throttle).hashingLimits(32, Duration.ofSeconds(30)).revocationBus(bus).build();
        nodes.add(node);
        return node;
    }

    protected final Portcullis node() {
        return node(Duration.ofMillis(100), ThrottlePolicy.defaults());
    }

    /** The shared stores (as the application gave them, without Portcullis's wrappers). */
    protected final Stores stores() {
        return stores;
    }

    @AfterEach
    final void closeNodes() throws Exception {
        nodes.forEach(Portcullis::close);
        nodes.clear();
        for (AutoCloseable bus : buses) {
            bus.close();
        }
        buses.clear();
    }

    protected static RegistrationResult.Registered register(Portcullis node, String email) {
        return (RegistrationResult.Registered) node.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
    }

    protected static SessionToken login(Portcullis node, String email) {
        return ((LoginResult.Success) node.sessions().login(new Credentials(email, RawPassword.of(PASSWORD)), ADDRESS))
                .session();
    }

    private static Duration await(String what, Duration deadline, BooleanSupplier condition) {
        return RevocationBusContract.await(what, deadline, condition);
    }

    private static void awaitConnected(List<RevocationBus> buses) {
        for (RevocationBus bus : buses) {
            await("the bus connects", RevocationBusContract.RECONNECT, bus::connected);
        }
    }

    @Test
    void aLogoutOnOneNodeIsRefusedByTheOtherTwoWithin100Milliseconds() {
        RevocationBus busA = newTrackedBus();
        RevocationBus busB = newTrackedBus();
        RevocationBus busC = newTrackedBus();
        Portcullis a = node(busA, ThrottlePolicy.defaults());
        Portcullis b = node(busB, ThrottlePolicy.defaults());
        Portcullis c = node(busC, ThrottlePolicy.defaults());
        awaitConnected(List.of(busA, busB, busC));
        register(a, "alice@example.com");
        List<Long> micros = new ArrayList<>();

        for (int trial = 0; trial < 7; trial++) {
            SessionToken session = login(a, "alice@example.com");
            assertThat(b.sessions().currentUser(session)).isPresent(); // cached on b and c, for 30 s
            assertThat(c.sessions().currentUser(session)).isPresent();

            long start = System.nanoTime();
            a.sessions().logout(session, ADDRESS);
            await("b refuses the ended session", RevocationBusContract.DELIVERY,
                    () -> b.sessions().currentUser(session).isEmpty());
            micros.add((System.nanoTime() - start) / 1_000);
            await("c refuses the ended session", RevocationBusContract.DELIVERY,
                    () -> c.sessions().currentUser(session).isEmpty());
        }

        List<Long> sorted = micros.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.println(getClass().getSimpleName() + ": logout on A refused by B after (µs) " + micros
                + ", median " + median);
        assertThat(Duration.ofNanos(median * 1_000)).as("median revocation latency").isLessThanOrEqualTo(REVOCATION_LATENCY);
    }

    @Test
    void aPasswordChangeOnOneNodeEndsTheSessionsOnAnother() {
        RevocationBus busA = newTrackedBus();
        RevocationBus busB = newTrackedBus();
        Portcullis a = node(busA, ThrottlePolicy.defaults());
        Portcullis b = node(busB, ThrottlePolicy.defaults());
        awaitConnected(List.of(busA, busB));
        RegistrationResult.Registered alice = register(a, "alice@example.com");
        SessionToken onB = login(b, "alice@example.com");
        assertThat(b.sessions().currentUser(onB)).isPresent();

        ChangePasswordResult changed = a.accounts().changePassword(alice.session(), new PasswordChange(
                RawPassword.of(PASSWORD), RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), ADDRESS);

        assertThat(changed).isInstanceOf(ChangePasswordResult.Changed.class);
        Duration took = await("b refuses the session the password change ended", RevocationBusContract.DELIVERY,
                () -> b.sessions().currentUser(onB).isEmpty());
        System.out.println(getClass().getSimpleName() + ": password change on A ended B's session after "
                + took.toMillis() + " ms");
    }

    @Test
    void withTheListeningConnectionDroppedTheShortTtlBoundsTheDelayAndTheReconnectFlushes() throws Exception {
        RevocationBus busA = newTrackedBus();
        RevocationBus busB = newTrackedBus(Duration.ofSeconds(3)); // slow to come back: room to act while it is down
        Portcullis a = node(busA, ThrottlePolicy.defaults());
        Portcullis b = node(busB, ThrottlePolicy.defaults());
        awaitConnected(List.of(busA, busB));
        register(a, "alice@example.com");
        SessionToken first = login(a, "alice@example.com");
        SessionToken second = login(a, "alice@example.com");
        assertThat(b.sessions().currentUser(first)).isPresent();

        dropConnection(busB);
        await("b notices the lost connection", RevocationBusContract.RECONNECT, () -> !busB.connected());
        a.sessions().logout(first, ADDRESS); // b misses this

        clock.advance(Duration.ofSeconds(1)); // the short TTL, which applies while the bus is down
        assertThat(b.sessions().currentUser(first)).as("refused within the TTL").isEmpty();

        assertThat(b.sessions().currentUser(second)).isPresent(); // cached while the bus is down
        stores().sessions().delete(second.digest()); // written straight into the store: published by nobody
        if (busB.connected()) {
            fail("the bus reconnected before the test could make it miss a change; its backoff is too short");
        }
        await("b reconnects", RevocationBusContract.RECONNECT, busB::connected);
        await("the reconnect flushed b's cache", RevocationBusContract.DELIVERY,
                () -> b.sessions().currentUser(second).isEmpty());

        SessionToken third = login(a, "alice@example.com");
        assertThat(b.sessions().currentUser(third)).isPresent();
        a.sessions().logout(third, ADDRESS);
        await("after the reconnect the bus carries logouts again", RevocationBusContract.DELIVERY,
                () -> b.sessions().currentUser(third).isEmpty());
    }

    @Test
    void parallelWrongPasswordsForOneAccountAcrossThreeNodesGetNoMoreVerifiesThanThePolicyAllows() {
        ThrottlePolicy policy = ThrottlePolicy.defaults();
        List<Portcullis> three = List.of(node(Duration.ofMillis(100), policy), node(Duration.ofMillis(100), policy),
                node(Duration.ofMillis(100), policy));
        register(three.get(0), "alice@example.com");
        hasher.verifies.set(0);

        List<LoginResult> results = Races.run(60, i -> three.get(i % 3).sessions().login(
                new Credentials("alice@example.com", RawPassword.of("guess number " + i + " here")), ""));

        assertThat(hasher.verifies.get()).as("verifies of 60 guesses spread over 3 nodes")
                .isBetween(1, policy.freeFailures());
        assertThat(results).noneMatch(r -> r instanceof LoginResult.Success);
        assertThat(results).filteredOn(r -> r instanceof LoginResult.Throttled)
                .hasSizeGreaterThanOrEqualTo(60 - policy.freeFailures());
    }

    @Test
    void parallelWrongPasswordsFromOneAddressAcrossThreeNodesGetNoMoreVerifiesThanItsLimit() {
        ThrottlePolicy policy = ThrottlePolicy.builder().addressLimit(20).build();
        List<Portcullis> three = List.of(node(Duration.ofMillis(100), policy), node(Duration.ofMillis(100), policy),
                node(Duration.ofMillis(100), policy));
        hasher.verifies.set(0);

        List<LoginResult> results = Races.run(60, i -> three.get(i % 3).sessions().login(
                new Credentials("sprayed" + i + "@example.com", RawPassword.of("guess number " + i + " here")), ADDRESS));

        assertThat(hasher.verifies.get()).as("verifies of 60 guesses from one address over 3 nodes")
                .isBetween(1, policy.addressLimit());
        assertThat(results).filteredOn(r -> r instanceof LoginResult.Throttled)
                .hasSizeGreaterThanOrEqualTo(60 - policy.addressLimit());
    }

    @Test
    void housekeepingOnThreeNodesAtOnceRemovesEachExpiredSessionOnceAndNothingElse() {
        List<Portcullis> three = List.of(node(), node(), node());
        RegistrationResult.Registered alice = register(three.get(0), "alice@example.com");
        for (int i = 0; i < 20; i++) {
            login(three.get(i % 3), "alice@example.com");
        }
        clock.advance(Duration.ofMinutes(31)); // past the 30 min idle timeout: 21 sessions expired
        List<SessionToken> fresh = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fresh.add(login(three.get(i % 3), "alice@example.com"));
        }

        List<Integer> removed = Races.run(3, i -> three.get(i).purgeExpired());

        assertThat(removed.stream().mapToInt(Integer::intValue).sum())
                .as("each expired record counted by exactly one node: " + removed).isEqualTo(21);
        assertThat(stores().sessions().findAllForUser(alice.userId())).hasSize(5);
        for (SessionToken s : fresh) {
            assertThat(three.get(1).sessions().currentUser(s)).isPresent();
        }
    }

    private RevocationBus newTrackedBus() {
        return newTrackedBus(Duration.ofMillis(100));
    }

    private RevocationBus newTrackedBus(Duration reconnectAfter) {
        RevocationBus bus = newBus(reconnectAfter);
        if (bus instanceof AutoCloseable closeable) {
            buses.add(closeable);
        }
        return bus;
    }

    /** Runs tasks released together on their own threads. */
    private static final class Races {
        static <T> List<T> run(int n, java.util.function.IntFunction<T> task) {
            return Concurrently.run(n, i -> () -> task.apply(i));
        }
    }
}
