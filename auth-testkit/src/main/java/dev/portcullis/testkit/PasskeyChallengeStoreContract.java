package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PasskeyChallenge;
import dev.portcullis.spi.PasskeyChallengeStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link PasskeyChallengeStore}. Extend it and implement {@link #createStore()}. */
public abstract class PasskeyChallengeStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));
    protected PasskeyChallengeStore store;

    /** A new, empty store; called before each test. */
    protected abstract PasskeyChallengeStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    private static TokenDigest newDigest() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new TokenDigest(HexFormat.of().formatHex(b));
    }

    protected PasskeyChallenge challenge(PasskeyChallenge.Purpose purpose, Optional<UserId> user,
                                         Optional<TokenDigest> pending) {
        return new PasskeyChallenge(newDigest(), purpose, user, pending, clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void consumeReturnsEveryFieldOnce() {
        PasskeyChallenge c = challenge(PasskeyChallenge.Purpose.SECOND_FACTOR, Optional.of(UserId.random()),
                Optional.of(newDigest()));
        PasskeyChallenge bare = challenge(PasskeyChallenge.Purpose.SIGN_IN, Optional.empty(), Optional.empty());
        store.insert(c);
        store.insert(bare);

        assertThat(store.consume(c.digest(), clock.instant())).contains(c);
        assertThat(store.consume(c.digest(), clock.instant())).isEmpty();
        assertThat(store.consume(bare.digest(), clock.instant())).contains(bare);
        assertThat(store.consume(newDigest(), clock.instant())).isEmpty();
    }

    @Test
    void anExpiredChallengeIsGoneAndPurged() {
        PasskeyChallenge c = challenge(PasskeyChallenge.Purpose.REGISTRATION, Optional.of(UserId.random()),
                Optional.empty());
        PasskeyChallenge d = challenge(PasskeyChallenge.Purpose.SIGN_IN, Optional.empty(), Optional.empty());
        store.insert(c);
        store.insert(d);
        Instant later = clock.advance(Duration.ofMinutes(5));

        assertThat(store.consume(c.digest(), later)).isEmpty();
        assertThat(store.deleteExpired(later)).isEqualTo(1);
        assertThat(store.consume(d.digest(), later)).isEmpty();
    }

    @Test
    void ofRacingConsumersExactlyOneGetsTheChallenge() {
        PasskeyChallenge c = challenge(PasskeyChallenge.Purpose.SIGN_IN, Optional.empty(), Optional.empty());
        store.insert(c);

        List<Optional<PasskeyChallenge>> results = Concurrently.run(20, i -> () -> store.consume(c.digest(),
                clock.instant()));

        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
    }
}
