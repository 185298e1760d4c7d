package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link RevocationBus} between nodes, as JUnit 5 tests: extend it and implement
 * {@link #createBus()} (each call is another node: its own connection, the same channel) and
 * {@link #dropConnection} (kill a node's listening connection from the server side). Every bus
 * created is closed after each test, and its threads must be gone by then.
 *
 * <p>Deliveries are awaited by polling against a deadline ({@link #DELIVERY}, generous so a loaded
 * machine does not fail the test); the latency is measured and printed, never asserted tighter
 * than that.
 *
 * @param <B> the implementation; closing it ends its connection and its threads
 */
@SuppressWarnings("try") // B's close() is AutoCloseable's, declared to throw Exception; the tests let it.
public abstract class RevocationBusContract<B extends RevocationBus & AutoCloseable> {

    /** How long a delivery may take before the test fails. */
    protected static final Duration DELIVERY = Duration.ofSeconds(5);
    /** How long a reconnect may take (it includes the implementation's backoff). */
    protected static final Duration RECONNECT = Duration.ofSeconds(30);

    private final List<B> buses = new ArrayList<>();

    /** Another node's bus on the shared channel, connected or connecting. */
    protected abstract B newBus();

    /** Ends {@code bus}'s listening connection as a failing network or server would. */
    protected abstract void dropConnection(B bus) throws Exception;

    /** The prefix of the names of the threads the implementation starts (e.g. {@code "portcullis-bus-"}). */
    protected String threadNamePrefix() {
        return "portcullis-bus-";
    }

    /** Creates a node's bus and remembers it for closing. */
    protected final B createBus() {
        B bus = newBus();
        buses.add(bus);
        return bus;
    }

    @AfterEach
    final void closeBuses() throws Exception {
        for (B bus : buses) {
            bus.close();
        }
        buses.clear();
    }

    /** A listener that records what it is told. */
    protected static final class Recorder implements RevocationListener {
        public final List<RevocationEvent> events = new CopyOnWriteArrayList<>();
        public final AtomicInteger lost = new AtomicInteger();
        public final AtomicInteger restored = new AtomicInteger();

        /** An empty record, for subclasses' own tests. */
        public Recorder() {
        }

        @Override
        public void received(RevocationEvent event) {
            events.add(event);
        }

        @Override
        public void connectionLost() {
            lost.incrementAndGet();
        }

        @Override
        public void connectionRestored() {
            restored.incrementAndGet();
        }
    }

    /** Polls {@code condition} until it holds or {@code deadline} passes; returns how long it took. */
    protected static Duration await(String what, Duration deadline, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("not within " + deadline + ": " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void awaitConnected(RevocationBus bus) {
        await("the bus connects", RECONNECT, bus::connected);
    }

    @Test
    void anEventPublishedOnOneNodeReachesEveryNodeTheSenderIncluded() {
        B a = createBus();
        B b = createBus();
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        a.subscribe(onA);
        b.subscribe(onB);
        awaitConnected(a);
        awaitConnected(b);
        RevocationEvent event = new RevocationEvent.SessionEnded(TokenDigest.of(UUID.randomUUID().toString()));

        a.publish(event);

        Duration latency = await("b receives the event", DELIVERY, () -> onB.events.contains(event));
        await("a receives its own event", DELIVERY, () -> onA.events.contains(event));
        System.out.println(getClass().getSimpleName() + ": delivered to another node in " + latency.toMillis() + " ms");
        assertThat(onB.events).containsExactly(event);
    }

    @Test
    void everyKindOfEventSurvivesTheTransport() {
        B a = createBus();
        B b = createBus();
        Recorder onB = new Recorder();
        b.subscribe(onB);
        awaitConnected(a);
        awaitConnected(b);
        UserId user = new UserId("user-" + UUID.randomUUID());
        List<RevocationEvent> events = List.of(
                new RevocationEvent.SessionEnded(TokenDigest.of("s")),
                new RevocationEvent.UserSessionsEnded(user),
                new RevocationEvent.AccountChanged(user),
                new RevocationEvent.RefreshFamilyRevoked("family_-1"),
                new RevocationEvent.TokenEpochAdvanced(new UserId("42")));

        events.forEach(a::publish);

        await("all five arrive", DELIVERY, () -> onB.events.size() >= events.size());
        assertThat(onB.events).containsExactlyElementsOf(events);
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        B a = createBus();
        Recorder kept = new Recorder();
        Recorder dropped = new Recorder();
        a.subscribe(kept);
        a.subscribe(dropped).close();
        awaitConnected(a);
        RevocationEvent event = new RevocationEvent.AccountChanged(new UserId("u-" + UUID.randomUUID()));

        a.publish(event);

        await("the open subscription receives it", DELIVERY, () -> kept.events.contains(event));
        assertThat(dropped.events).isEmpty();
    }

    @Test
    void aDroppedConnectionIsReportedRestoredAndCarriesEventsAgain() throws Exception {
        B a = createBus();
        B b = createBus();
        Recorder onB = new Recorder();
        b.subscribe(onB);
        awaitConnected(a);
        awaitConnected(b);
        int restoredBefore = onB.restored.get();

        dropConnection(b);

        await("b reports the loss", RECONNECT, () -> onB.lost.get() >= 1);
        await("b reconnects and says so", RECONNECT, () -> onB.restored.get() > restoredBefore && b.connected());
        RevocationEvent event = new RevocationEvent.UserSessionsEnded(new UserId("u-" + UUID.randomUUID()));
        a.publish(event);
        await("events flow again", DELIVERY, () -> onB.events.contains(event));
    }

    @Test
    void closingTheBusEndsItsThreads() throws Exception {
        B a = createBus();
        a.subscribe(new Recorder());
        awaitConnected(a);
        long before = busThreads();
        assertThat(before).as("the bus runs a thread named " + threadNamePrefix() + "*").isPositive();

        a.close();
        buses.remove(a);

        await("its threads end", DELIVERY, () -> busThreads() < before);
    }

    private long busThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(threadNamePrefix())).count();
    }
}
