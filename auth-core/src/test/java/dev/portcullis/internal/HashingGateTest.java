package dev.portcullis.internal;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
