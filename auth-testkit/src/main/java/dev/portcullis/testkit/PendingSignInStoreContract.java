package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link PendingSignInStore}. Extend it and implement {@link #createStore()}. */
public abstract class PendingSignInStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));
    protected PendingSignInStore store;

    /** A new, empty store; called before each test. */
    protected abstract PendingSignInStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    private static TokenDigest newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new TokenDigest(HexFormat.of().formatHex(b));
    }

    protected PendingSignIn pending(PendingSignIn.Purpose purpose) {
        Instant now = clock.instant();
        return new PendingSignIn(newId(), UserId.random(), "a".repeat(64), purpose, now, now.plus(Duration.ofMinutes(5)),
                0);
    }

    @Test
    void insertThenFindReturnsEveryField() {
        PendingSignIn p = pending(PendingSignIn.Purpose.ENROLMENT);
        store.insert(p);

        assertThat(store.find(p.id())).contains(p);
        assertThat(store.find(newId())).isEmpty();
    }

    @Test
    void attemptsAreCountedOneByOne() {
        PendingSignIn p = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(p);

        assertThat(store.recordAttempt(p.id())).hasValue(1);
        assertThat(store.recordAttempt(p.id())).hasValue(2);
        assertThat(store.find(p.id()).orElseThrow().attempts()).isEqualTo(2);
        assertThat(store.recordAttempt(newId())).isEmpty();
    }

    @Test
    void twentyRacingAttemptsEachGetTheirOwnCount() {
        PendingSignIn p = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(p);

        List<OptionalInt> counts = Concurrently.run(20, i -> () -> store.recordAttempt(p.id()));

        assertThat(counts).extracting(OptionalInt::getAsInt).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void consumeReturnsItOnce() {
        PendingSignIn p = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(p);

        assertThat(store.consume(p.id())).contains(p);
        assertThat(store.consume(p.id())).isEmpty();
        assertThat(store.find(p.id())).isEmpty();
    }

    @Test
    void twentyRacingConsumesSucceedExactlyOnce() {
        PendingSignIn p = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(p);

        List<Optional<PendingSignIn>> results = Concurrently.run(20, i -> () -> store.consume(p.id()));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    void deleteExpiredRemovesOnlyExpired() {
        PendingSignIn old = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(old);
        clock.advance(Duration.ofMinutes(4));
        PendingSignIn young = pending(PendingSignIn.Purpose.SECOND_FACTOR);
        store.insert(young);

        assertThat(store.deleteExpired(clock.instant().plus(Duration.ofMinutes(2)))).isEqualTo(1);
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.find(young.id())).isPresent();
    }
}
