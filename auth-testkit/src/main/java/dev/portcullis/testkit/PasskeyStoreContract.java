package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.PasskeyStore;
import dev.portcullis.spi.StoredPasskey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link PasskeyStore}. Extend it and implement {@link #createStore()}. */
public abstract class PasskeyStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));
    protected PasskeyStore store;

    /** A new, empty store; called before each test. */
    protected abstract PasskeyStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    protected StoredPasskey passkey(UserId user, int idBytes) {
        byte[] id = new byte[idBytes];
        RANDOM.nextBytes(id);
        byte[] key = new byte[77];
        RANDOM.nextBytes(key);
        return new StoredPasskey(Base64.getUrlEncoder().withoutPadding().encodeToString(id), user, key, 7,
                Set.of("internal", "hybrid"), true, false, "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73", "Laptop ✓",
                clock.instant(), null);
    }

    @Test
    void insertThenFindReturnsEveryField() {
        StoredPasskey p = passkey(UserId.random(), 32);
        assertThat(store.insert(p)).isTrue();

        assertThat(store.find(p.credentialId())).contains(p);
        assertThat(store.find("AAAA")).isEmpty();
    }

    @Test
    void aCredentialIdIsRegisteredOnce() {
        StoredPasskey p = passkey(UserId.random(), 16);
        assertThat(store.insert(p)).isTrue();
        StoredPasskey other = new StoredPasskey(p.credentialId(), UserId.random(), new byte[] {1}, 0, Set.of(), false,
                false, "00000000-0000-0000-0000-000000000000", "x", clock.instant(), null);

        assertThat(store.insert(other)).isFalse();
        assertThat(store.find(p.credentialId())).contains(p);
    }

    @Test
    void theLongestCredentialIdsAndEmptyTransportsFit() {
        StoredPasskey p = passkey(UserId.random(), 1023);
        StoredPasskey bare = new StoredPasskey(p.credentialId(), p.userId(), p.publicKey(), 0, Set.of(), false, false,
                p.aaguid(), "k", p.createdAt(), null);
        assertThat(store.insert(bare)).isTrue();
        assertThat(store.find(p.credentialId())).contains(bare);
    }

    @Test
    void findByUserListsOnlyThatAccountsOldestFirst() {
        UserId alice = UserId.random();
        StoredPasskey first = passkey(alice, 16);
        clock.advance(Duration.ofMinutes(1));
        StoredPasskey second = passkey(alice, 16);
        store.insert(second);
        store.insert(first);
        store.insert(passkey(UserId.random(), 16));

        assertThat(store.findByUser(alice)).containsExactly(first, second);
        assertThat(store.findByUser(UserId.random())).isEmpty();
    }

    @Test
    void recordUseChangesTheCounterOnlyFromTheExpectedValue() {
        StoredPasskey p = passkey(UserId.random(), 16);
        store.insert(p);
        Instant used = clock.advance(Duration.ofMinutes(3));

        assertThat(store.recordUse(p.credentialId(), 6, 9, true, used)).isFalse();
        assertThat(store.recordUse(p.credentialId(), 7, 9, true, used)).isTrue();
        assertThat(store.recordUse(p.credentialId(), 7, 10, true, used)).isFalse();
        assertThat(store.recordUse("AAAA", 7, 10, true, used)).isFalse();
        assertThat(store.find(p.credentialId())).contains(p.withUse(9, true, used));
    }

    @Test
    void racingUsesWithTheSameCounterOneWins() {
        StoredPasskey p = passkey(UserId.random(), 16);
        store.insert(p);
        Instant used = clock.instant();

        List<Boolean> results = Concurrently.run(20, i -> () -> store.recordUse(p.credentialId(), 7, 8 + i, false, used));

        assertThat(results.stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
        long winner = 8 + results.indexOf(true);
        assertThat(store.find(p.credentialId()).orElseThrow().signCount()).isEqualTo(winner);
    }

    @Test
    void renameAndDeleteTouchOnlyTheOwnersPasskey() {
        UserId alice = UserId.random();
        StoredPasskey p = passkey(alice, 16);
        store.insert(p);
        UserId mallory = UserId.random();

        assertThat(store.rename(mallory, p.credentialId(), "mine")).isFalse();
        assertThat(store.delete(mallory, p.credentialId())).isFalse();
        assertThat(store.rename(alice, p.credentialId(), "Phone")).isTrue();
        assertThat(store.find(p.credentialId()).orElseThrow().name()).isEqualTo("Phone");
        assertThat(store.delete(alice, p.credentialId())).isTrue();
        assertThat(store.delete(alice, p.credentialId())).isFalse();
        assertThat(store.find(p.credentialId())).isEmpty();
    }
}
