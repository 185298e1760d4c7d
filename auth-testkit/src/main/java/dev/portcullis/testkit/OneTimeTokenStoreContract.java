package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.TokenPurpose;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link OneTimeTokenStore}. Extend it and implement {@link #createStore()}.
 * Instants are whole milliseconds.
 */
public abstract class OneTimeTokenStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));
    protected OneTimeTokenStore store;

    /** A new, empty store; called before each test. */
    protected abstract OneTimeTokenStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    private static TokenDigest newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new TokenDigest(HexFormat.of().formatHex(b));
    }

    protected OneTimeTokenRecord token(UserId user, TokenPurpose purpose) {
        Instant now = clock.instant();
        return new OneTimeTokenRecord(newId(), user, purpose, now, now.plus(Duration.ofMinutes(30)),
                "b".repeat(64), "");
    }

    @Test
    void insertThenFindReturnsEveryField() {
        OneTimeTokenRecord token = new OneTimeTokenRecord(newId(), UserId.random(), TokenPurpose.CONFIRM_EMAIL_CHANGE,
                clock.instant(), clock.instant().plus(Duration.ofHours(24)), "c".repeat(64), "N\u00e9w.Address@example.org");
        store.insert(token);
        assertThat(store.find(token.id())).contains(token);
    }

    @Test
    void findOfUnknownTokenIsEmpty() {
        assertThat(store.find(newId())).isEmpty();
    }

    @Test
    void consumeReturnsTheTokenOnceAndRemovesIt() {
        OneTimeTokenRecord token = token(UserId.random(), TokenPurpose.RESET_PASSWORD);
        store.insert(token);

        assertThat(store.consume(token.id(), TokenPurpose.RESET_PASSWORD)).contains(token);
        assertThat(store.consume(token.id(), TokenPurpose.RESET_PASSWORD)).isEmpty();
        assertThat(store.find(token.id())).isEmpty();
    }

    @Test
    void consumeForAnotherPurposeLeavesTheTokenAlone() {
        OneTimeTokenRecord token = token(UserId.random(), TokenPurpose.VERIFY_EMAIL);
        store.insert(token);

        assertThat(store.consume(token.id(), TokenPurpose.RESET_PASSWORD)).isEmpty();
        assertThat(store.find(token.id())).contains(token);
    }

    @Test
    void twentyConcurrentRedemptionsSucceedExactlyOnce() {
        OneTimeTokenRecord token = token(UserId.random(), TokenPurpose.RESET_PASSWORD);
        store.insert(token);

        List<Optional<OneTimeTokenRecord>> results = Concurrently.run(20,
                i -> () -> store.consume(token.id(), TokenPurpose.RESET_PASSWORD));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    void deleteAllForUserRemovesOnlyThatPurposeAndUser() {
        UserId alice = UserId.random();
        OneTimeTokenRecord reset1 = token(alice, TokenPurpose.RESET_PASSWORD);
        OneTimeTokenRecord reset2 = token(alice, TokenPurpose.RESET_PASSWORD);
        OneTimeTokenRecord verify = token(alice, TokenPurpose.VERIFY_EMAIL);
        OneTimeTokenRecord bobs = token(UserId.random(), TokenPurpose.RESET_PASSWORD);
        List.of(reset1, reset2, verify, bobs).forEach(store::insert);

        assertThat(store.deleteAllForUser(alice, TokenPurpose.RESET_PASSWORD)).isEqualTo(2);
        assertThat(store.find(verify.id())).isPresent();
        assertThat(store.find(bobs.id())).isPresent();
        assertThat(store.deleteAllForUser(UserId.random(), TokenPurpose.RESET_PASSWORD)).isZero();
    }

    @Test
    void deleteExpiredRemovesOnlyExpiredTokens() {
        OneTimeTokenRecord old = token(UserId.random(), TokenPurpose.RESET_PASSWORD);
        store.insert(old);
        clock.advance(Duration.ofMinutes(20));
        OneTimeTokenRecord young = token(UserId.random(), TokenPurpose.RESET_PASSWORD);
        store.insert(young);

        assertThat(store.deleteExpired(clock.instant().plus(Duration.ofMinutes(15)))).isEqualTo(1);
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.find(young.id())).isPresent();
    }
}
