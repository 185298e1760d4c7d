package dev.portcullis.internal;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class HashingGateTest {

    @Test
    void runWhenSlotFreeThenAnswersWithTheResultComputedOffTheCallersThread() {
        HashingGate gate = new HashingGate(2, Duration.ofSeconds(5));
        Thread caller = Thread.currentThread();

        Optional<Thread> ranOn = gate.run(Thread::currentThread);

        assertThat(ranOn).isPresent();
        assertThat(ranOn.get()).isNotSameAs(caller);
        assertThat(ranOn.get().getName()).startsWith("portcullis-hashing-");
        assertThat(ranOn.get().isDaemon()).isTrue();
        assertThat(ranOn.get().getPriority()).isEqualTo(Thread.MIN_PRIORITY);
    }

    @Test
    void runFromManyCallersThenWorkUsesAtMostConcurrencyThreadsAndNeverMoreAtOnce() throws Exception {
        HashingGate gate = new HashingGate(2, Duration.ofMinutes(1));
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Optional<Integer>>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(callers.submit(() -> gate.run(() -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread());
                    Thread.yield();
                    running.decrementAndGet();
                    return n;
                })));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(1, TimeUnit.MINUTES)).contains(i);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
        assertThat(threads).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void runWhenNoSlotFreesUpThenEmptyAndTheWorkNeverRuns() throws Exception {
        HashingGate gate = new HashingGate(1, Duration.ZERO);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> gate.run(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }));
        holder.start();
        started.await();
        AtomicInteger ran = new AtomicInteger();

        Optional<Integer> second = gate.run(ran::incrementAndGet);

        release.countDown();
        holder.join();
        assertThat(second).isEmpty();
        assertThat(ran).hasValue(0);
        assertThat(gate.run(() -> 2)).contains(2); // the slot came back
    }

    @Test
    void runWhenWorkThrowsThenTheSameExceptionReachesTheCallerAndTheSlotIsReturned() {
        HashingGate gate = new HashingGate(1, Duration.ZERO);
        IllegalStateException failure = new IllegalStateException("native library gone");

        assertThatThrownBy(() -> gate.run(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(gate.run(() -> "next")).contains("next");
    }

    @Test
    void runWhenEveryWaitingPlaceIsTakenThenBusyAtOnceWhileTheWaiterStillWaitsAndIsServedLater() throws Exception {
        HashingGate gate = new HashingGate(1, Duration.ofMinutes(1), 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Integer>> holder = callers.submit(() -> gate.run(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }));
            started.await();
            assertThat(gate.full()).as("one slot taken, no one waiting yet").isFalse();
            Future<Optional<Integer>> waiter = callers.submit(() -> gate.run(() -> 2));
            while (!gate.full()) {
                Thread.onSpinWait(); // until the waiter is in line
            }
            AtomicInteger ran = new AtomicInteger();

            Optional<Integer> third = gate.run(ran::incrementAndGet);

            assertThat(third).isEmpty();
            assertThat(ran).hasValue(0);
            // Had the third caller waited its minute, the waiter (in line before it) would have
            // given up first.
            assertThat(waiter.isDone()).as("the waiter is still in line").isFalse();
            release.countDown();
            assertThat(holder.get(1, TimeUnit.MINUTES)).contains(1);
            assertThat(waiter.get(1, TimeUnit.MINUTES)).contains(2);
            assertThat(gate.full()).isFalse();
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void runWithNoWaitingPlacesThenASecondCallerIsBusyAtOnce() throws Exception {
        HashingGate gate = new HashingGate(1, Duration.ofMinutes(1), 0);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> gate.run(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }));
        holder.start();
        started.await();

        assertThat(gate.full()).isTrue();
        assertThat(gate.run(() -> 2)).isEmpty();

        release.countDown();
        holder.join();
        assertThat(gate.run(() -> 3)).contains(3);
    }

    @Test
    void constructorRefusesNegativeWaitingPlaces() {
        assertThatThrownBy(() -> new HashingGate(1, Duration.ZERO, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultWaitingPlacesAreEightPerSlotAndAtLeast64() {
        assertThat(HashingGate.defaultMaxWaiting(2)).isEqualTo(64);
        assertThat(HashingGate.defaultMaxWaiting(16)).isEqualTo(128);
        assertThat(HashingGate.defaultMaxWaiting(1024)).isEqualTo(8192);
    }

    @Test
    void hashingThreadsRunInTheIdleSchedulingClassOnLinux() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "SCHED_IDLE is Linux only");
        HashingGate gate = new HashingGate(1, Duration.ofSeconds(5), 1, true);

        Optional<Integer> policy = gate.run(HashingGateTest::schedulingPolicyOfThisThread);

        assertThat(policy).contains(5); // SCHED_IDLE
        HashingGate normal = new HashingGate(1, Duration.ofSeconds(5), 1, false);
        assertThat(normal.run(HashingGateTest::schedulingPolicyOfThisThread)).contains(0); // SCHED_OTHER
        gate.close();
        normal.close();
    }

    /** Field 41 of {@code /proc/thread-self/stat}, the scheduling policy (proc(5)). */
    private static int schedulingPolicyOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[41 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
