package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.IdentityStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link IdentityStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}; accounts need not exist in a user store (the identities refer to ids
 * only). Up to 20 threads.
 */
public abstract class IdentityStoreContract {

    private static final String ISSUER = "https://issuer.example/realms/test";
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected IdentityStore store;

    /** Returns an empty store to test. Called once before each test. */
    protected abstract IdentityStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    private static IdentityRecord identity(String issuer, String subject, UserId user, Instant at) {
        return new IdentityRecord(issuer, subject, user, Optional.of("Ada@Example.org"), at);
    }

    @Test
    void insertedIdentityIsFoundWithEveryField() {
        UserId user = UserId.random();
        IdentityRecord linked = identity(ISSUER, "248289761001", user, T0);

        assertThat(store.insert(linked)).isTrue();

        assertThat(store.find(ISSUER, "248289761001")).contains(linked);
        assertThat(store.findAllForUser(user)).containsExactly(linked);
    }

    @Test
    void identityWithoutEmailKeepsNone() {
        IdentityRecord linked = new IdentityRecord(ISSUER, "s1", UserId.random(), Optional.empty(), T0);

        store.insert(linked);

        assertThat(store.find(ISSUER, "s1")).contains(linked);
    }

    @Test
    void unknownIdentityIsAbsent() {
        assertThat(store.find(ISSUER, "nobody")).isEmpty();
        assertThat(store.findAllForUser(UserId.random())).isEmpty();
    }

    @Test
    void issuerAndSubjectAreComparedExactly() {
        store.insert(identity(ISSUER, "Subject", UserId.random(), T0));

        assertThat(store.find(ISSUER, "subject")).isEmpty();
        assertThat(store.find(ISSUER.toUpperCase(java.util.Locale.ROOT), "Subject")).isEmpty();
        assertThat(store.find(ISSUER + "/", "Subject")).isEmpty();
    }

    @Test
    void sameSubjectAtAnotherIssuerIsAnotherIdentity() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();

        assertThat(store.insert(identity(ISSUER, "42", alice, T0))).isTrue();
        assertThat(store.insert(identity("https://other.example", "42", bob, T0))).isTrue();

        assertThat(store.find(ISSUER, "42").orElseThrow().userId()).isEqualTo(alice);
        assertThat(store.find("https://other.example", "42").orElseThrow().userId()).isEqualTo(bob);
    }

    @Test
    void identityIsLinkedToOneAccountOnly() {
        UserId alice = UserId.random();
        store.insert(identity(ISSUER, "42", alice, T0));

        assertThat(store.insert(identity(ISSUER, "42", UserId.random(), T0.plusSeconds(1)))).isFalse();

        assertThat(store.find(ISSUER, "42").orElseThrow().userId()).isEqualTo(alice);
    }

    @Test
    void longestIssuerSubjectAndEmailAreKeptIntact() {
        String issuer = "https://" + "i".repeat(IdentityRecord.MAX_ISSUER_LENGTH - 8);
        String subject = "s".repeat(IdentityRecord.MAX_SUBJECT_LENGTH);
        String email = "e".repeat(IdentityRecord.MAX_EMAIL_LENGTH - 12) + "@example.org";
        IdentityRecord linked = new IdentityRecord(issuer, subject, UserId.random(), Optional.of(email), T0);

        assertThat(store.insert(linked)).isTrue();

        assertThat(store.find(issuer, subject)).contains(linked);
    }

    @Test
    void findAllForUserListsOnlyThatAccountsIdentitiesOldestFirst() {
        UserId alice = UserId.random();
        IdentityRecord second = identity(ISSUER, "a2", alice, T0.plus(1, ChronoUnit.HOURS));
        IdentityRecord first = identity("https://accounts.google.com", "a1", alice, T0);
        store.insert(second);
        store.insert(first);
        store.insert(identity(ISSUER, "b1", UserId.random(), T0));

        assertThat(store.findAllForUser(alice)).containsExactly(first, second);
    }

    @Test
    void deleteRemovesOnlyThatAccountsLink() {
        UserId alice = UserId.random();
        store.insert(identity(ISSUER, "42", alice, T0));

        assertThat(store.delete(UserId.random(), ISSUER, "42", false)).isFalse();
        assertThat(store.find(ISSUER, "42")).isPresent();

        assertThat(store.delete(alice, ISSUER, "42", false)).isTrue();
        assertThat(store.find(ISSUER, "42")).isEmpty();
        assertThat(store.delete(alice, ISSUER, "42", false)).isFalse();
    }

    @Test
    void deleteKeepingLastRefusesTheOnlyIdentity() {
        UserId alice = UserId.random();
        store.insert(identity(ISSUER, "42", alice, T0));

        assertThat(store.delete(alice, ISSUER, "42", true)).isFalse();

        assertThat(store.find(ISSUER, "42")).isPresent();
        assertThat(store.delete(alice, ISSUER, "42", false)).isTrue();
    }

    @Test
    void deleteKeepingLastRemovesOneOfTwo() {
        UserId alice = UserId.random();
        store.insert(identity(ISSUER, "42", alice, T0));
        store.insert(identity("https://accounts.google.com", "7", alice, T0));

        assertThat(store.delete(alice, ISSUER, "42", true)).isTrue();

        assertThat(store.findAllForUser(alice)).extracting(IdentityRecord::subject).containsExactly("7");
    }

    @Test
    void concurrentInsertsOfOneIdentityLinkExactlyOne() {
        List<Boolean> results = Concurrently.run(20,
                i -> () -> store.insert(identity(ISSUER, "raced", UserId.random(), T0)));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void concurrentRemovalsKeepingLastLeaveOneIdentity() {
        UserId alice = UserId.random();
        for (int i = 0; i < 20; i++) {
            store.insert(identity(ISSUER, "s" + i, alice, T0.plusSeconds(i)));
        }

        List<Boolean> results = Concurrently.run(20, i -> () -> store.delete(alice, ISSUER, "s" + i, true));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(19);
        assertThat(store.findAllForUser(alice)).hasSize(1);
    }
}
