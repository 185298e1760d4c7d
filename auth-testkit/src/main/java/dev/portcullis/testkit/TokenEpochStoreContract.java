package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.TokenEpochStore;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TokenEpochStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}. Up to 20 threads.
 */
public abstract class TokenEpochStoreContract {

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected TokenEpochStore store;

    /** Returns an empty store to test. Called once before each test. */
    protected abstract TokenEpochStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void unknownUserIsAtEpochZero() {
        assertThat(store.current(UserId.random())).isZero();
    }

    @Test
    void advanceMovesOnlyThatUsersEpoch() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();

        assertThat(store.advance(alice)).isEqualTo(1);
        assertThat(store.advance(alice)).isEqualTo(2);

        assertThat(store.current(alice)).isEqualTo(2);
        assertThat(store.current(bob)).isZero();
    }

    @Test
    void concurrentAdvancesEachCount() {
        UserId user = UserId.random();

        List<Integer> results = Concurrently.run(20, i -> () -> store.advance(user));

        assertThat(results).doesNotHaveDuplicates().allMatch(e -> e >= 1 && e <= 20);
        assertThat(store.current(user)).isEqualTo(20);
    }
}
