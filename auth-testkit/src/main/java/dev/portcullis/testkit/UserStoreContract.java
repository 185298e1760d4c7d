package dev.portcullis.testkit;

import dev.portcullis.Portcullis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link UserStore}, as JUnit 5 tests. Extend it and implement
 * {@link #createStore()}; every test here then runs against your store.
 *
 * <pre>{@code
 * class MyUserStoreTest extends UserStoreContract {
 *     @Override protected UserStore createStore() { return new MyUserStore(...); }
 * }
 * }</pre>
 *
 * <p>Tests use random ids and addresses and millisecond-precision instants (what databases keep).
 * Concurrency tests start 20 threads. A store that fails a test here will misbehave in
 * {@code Portcullis}: take the failure seriously rather than overriding the test.
 */
public abstract class UserStoreContract {

    /** Instants the tests store: whole milliseconds, as every supported database keeps them. */
    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.123Z"));

    /** The store under test, from {@link #createStore()}, fresh for each test. */
    protected UserStore store;

    /**
     * Returns the store to test. Called once before each test. The store must not hold users
     * that the previous test inserted — return a new one, or clean the shared storage first.
     */
    protected abstract UserStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    // ---- round trips -------------------------------------------------------------------------

    @Test
    void insertThenFindByIdReturnsEveryField() {
        StoredUser user = new StoredUser(UserId.random(), EmailAddress.of("Alice.Smith@Example.com"),
                new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"),
                now(), true, false, Set.of("admin", "editor"));

        assertThat(store.insert(user)).isTrue();

        StoredUser found = store.findById(user.id()).orElseThrow();
        assertSameUser(found, user);
    }

    @Test
    void insertThenFindByEmailReturnsEveryField() {
        StoredUser user = new StoredUser(UserId.random(), EmailAddress.of("bob@example.org"),
                new PasswordHash("$2b$12$abcdefghijklmnopqrstuuWq7dIbz1rKmOPDkCT1hTXa5ZspYpRmi"),
                now().minusSeconds(86_400), false, true, Set.of());

        assertThat(store.insert(user)).isTrue();

        assertSameUser(store.findByEmail(EmailAddress.of("bob@example.org")).orElseThrow(), user);
    }

    @Test
    void findByEmailIgnoresCaseAndKeepsDisplayForm() {
        StoredUser user = user("Alice@Example.COM");
        store.insert(user);

        Optional<StoredUser> found = store.findByEmail(EmailAddress.of("alice@example.com"));

        assertThat(found).map(StoredUser::id).contains(user.id());
        assertThat(found.orElseThrow().email().display()).isEqualTo("Alice@Example.COM");
        assertThat(store.findByEmail(EmailAddress.of("ALICE@EXAMPLE.COM"))).map(StoredUser::id).contains(user.id());
    }

    @Test
    void findWhenAbsentThenEmpty() {
        store.insert(user("present@example.com"));

        assertThat(store.findById(UserId.random())).isEmpty();
        assertThat(store.findByEmail(EmailAddress.of("absent@example.com"))).isEmpty();
    }

    @Test
    void unicodeEmailRoundTripsAndIsFoundInAnyCase() {
        StoredUser user = user("Jörg.Müller@Bücher.example");
        assertThat(store.insert(user)).isTrue();

        StoredUser found = store.findByEmail(EmailAddress.of("jörg.müller@bücher.example")).orElseThrow();

        assertThat(found.id()).isEqualTo(user.id());
        assertThat(found.email().display()).isEqualTo("Jörg.Müller@Bücher.example");
        assertThat(store.findById(user.id()).orElseThrow().email().display()).isEqualTo("Jörg.Müller@Bücher.example");
    }

    @Test
    void addressesThatDifferOnlyByDotlessIAreDifferentAccounts() {
        assertThat(store.insert(user("mike@example.com"))).isTrue();
        assertThat(store.insert(user("mıke@example.com"))).isTrue();

        assertThat(store.findByEmail(EmailAddress.of("mıke@example.com")).orElseThrow().email().display())
                .isEqualTo("mıke@example.com");
        assertThat(store.findByEmail(EmailAddress.of("mike@example.com")).orElseThrow().email().display())
                .isEqualTo("mike@example.com");
    }

    @Test
    void longestEmailRoundTrips() {
        String local = "a".repeat(64);
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(53) + ".example";
        String address = local + "@" + domain;
        assertThat(address).hasSize(EmailAddress.MAX_LENGTH);
        StoredUser user = user(address);

        assertThat(store.insert(user)).isTrue();

        assertThat(store.findByEmail(EmailAddress.of(address.toUpperCase()))).map(StoredUser::id).contains(user.id());
    }

    @Test
    void sqlLookingInputIsStoredAndLookedUpLiterally() {
        StoredUser other = user("someone@example.com");
        store.insert(other);
        StoredUser user = new StoredUser(UserId.random(), EmailAddress.of("x'or'1'='1@example.com"),
                new PasswordHash("' OR '1'='1"), now(), false, false, Set.of("admin' --", "r\"; DROP TABLE users; --"));

        assertThat(store.insert(user)).isTrue();

        assertSameUser(store.findByEmail(EmailAddress.of("x'or'1'='1@example.com")).orElseThrow(), user);
        assertThat(store.findByEmail(EmailAddress.of("y'or'1'='1@example.com"))).isEmpty();
        assertThat(store.findById(new UserId("' OR '1'='1"))).isEmpty();
        assertThat(store.findById(other.id())).map(StoredUser::email).contains(other.email());
    }

    // ---- uniqueness --------------------------------------------------------------------------

    @Test
    void insertWhenEmailTakenThenFalseAndFirstUserUnchanged() {
        StoredUser first = user("carol@example.com");
        store.insert(first);
        StoredUser second = new StoredUser(UserId.random(), EmailAddress.of("carol@example.com"),
                new PasswordHash("other"), now(), true, true, Set.of("admin"));

        assertThat(store.insert(second)).isFalse();

        assertThat(store.findById(second.id())).isEmpty();
        assertSameUser(store.findByEmail(EmailAddress.of("carol@example.com")).orElseThrow(), first);
    }

    @Test
    void insertWhenEmailTakenInOtherCaseThenFalse() {
        store.insert(user("dave@example.com"));

        StoredUser second = user("DAVE@Example.Com");
        assertThat(store.insert(second)).isFalse();
        assertThat(store.findById(second.id())).isEmpty();
    }

    @Test
    void insertWhenIdTakenThenFalseAndNothingChanged() {
        StoredUser first = user("erin@example.com");
        store.insert(first);
        StoredUser sameId = new StoredUser(first.id(), EmailAddress.of("frank@example.com"),
                new PasswordHash("x"), now(), false, false, Set.of());

        assertThat(store.insert(sameId)).isFalse();

        assertThat(store.findByEmail(EmailAddress.of("frank@example.com"))).isEmpty();
        assertSameUser(store.findById(first.id()).orElseThrow(), first);
    }

    @Test
    void insertReturningIdAnswersTheIdTheAccountIsFoundByAndEmptyWhenTaken() {
        StoredUser user = user("ivy@example.com");

        Optional<UserId> id = store.insertReturningId(user);

        assertThat(id).isPresent();
        assertThat(store.findById(id.get())).map(u -> u.email().display()).contains("ivy@example.com");
        assertThat(store.findByEmail(EmailAddress.of("IVY@example.com"))).map(StoredUser::id).contains(id.get());
        assertThat(store.insertReturningId(user("Ivy@Example.com"))).isEmpty();
    }

    @Test
    void concurrentInsertsOfOneEmailThenExactlyOneWins() {
        List<StoredUser> candidates = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> user(i % 2 == 0 ? "race@example.com" : "Race@Example.com"))
                .toList();

        List<Boolean> results = Concurrently.run(20, i -> () -> store.insert(candidates.get(i)));

        assertThat(results).containsOnlyOnce(true);
        StoredUser winner = candidates.get(results.indexOf(true));
        assertThat(store.findByEmail(EmailAddress.of("race@example.com"))).map(StoredUser::id).contains(winner.id());
        assertThat(candidates).filteredOn(c -> store.findById(c.id()).isPresent()).hasSize(1);
    }

    // ---- updates -----------------------------------------------------------------------------

    @Test
    void updatePasswordHashChangesOnlyTheHash() {
        StoredUser user = withRoles(user("grace@example.com"), "admin");
        store.insert(user);

        store.updatePasswordHash(user.id(), new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3"));

        assertSameUser(store.findById(user.id()).orElseThrow(),
                user.withPasswordHash(new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3")));
    }

    @Test
    void updateEmailThenFoundByNewAddressOnly() {
        StoredUser user = withRoles(user("heidi@example.com"), "editor");
        store.insert(user);

        assertThat(store.updateEmail(user.id(), EmailAddress.of("Heidi.New@Example.com"), true)).isTrue();

        assertThat(store.findByEmail(EmailAddress.of("heidi@example.com"))).isEmpty();
        StoredUser found = store.findByEmail(EmailAddress.of("heidi.new@example.com")).orElseThrow();
        assertSameUser(found, user.withEmail(EmailAddress.of("Heidi.New@Example.com"), true));
        assertThat(found.email().display()).isEqualTo("Heidi.New@Example.com");
    }

    @Test
    void updateEmailCanClearVerification() {
        StoredUser user = user("ivan@example.com").withEmailVerified(true);
        store.insert(user);

        assertThat(store.updateEmail(user.id(), EmailAddress.of("ivan2@example.com"), false)).isTrue();

        assertThat(store.findById(user.id()).orElseThrow().emailVerified()).isFalse();
    }

    @Test
    void updateEmailWhenTakenByAnotherAccountThenFalseAndNothingChanged() {
        StoredUser judy = user("judy@example.com");
        StoredUser ken = user("ken@example.com");
        store.insert(judy);
        store.insert(ken);

        assertThat(store.updateEmail(ken.id(), EmailAddress.of("JUDY@example.com"), true)).isFalse();

        assertSameUser(store.findById(ken.id()).orElseThrow(), ken);
        assertThat(store.findByEmail(EmailAddress.of("judy@example.com"))).map(StoredUser::id).contains(judy.id());
    }

    @Test
    void updateEmailToOwnAddressInOtherCaseThenTrue() {
        StoredUser user = user("leo@example.com");
        store.insert(user);

        assertThat(store.updateEmail(user.id(), EmailAddress.of("Leo@Example.com"), true)).isTrue();

        assertThat(store.findByEmail(EmailAddress.of("leo@example.com")).orElseThrow().email().display())
                .isEqualTo("Leo@Example.com");
    }

    @Test
    void updateEmailFreesTheOldAddress() {
        StoredUser user = user("mallory@example.com");
        store.insert(user);
        store.updateEmail(user.id(), EmailAddress.of("mallory2@example.com"), false);

        StoredUser newcomer = user("mallory@example.com");
        assertThat(store.insert(newcomer)).isTrue();
        assertThat(store.findByEmail(EmailAddress.of("mallory@example.com"))).map(StoredUser::id).contains(newcomer.id());
    }

    @Test
    void concurrentUpdatesToOneEmailThenExactlyOneWins() {
        List<StoredUser> users = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> user("racer" + i + "@example.com")).toList();
        users.forEach(store::insert);

        List<Boolean> results = Concurrently.run(20,
                i -> () -> store.updateEmail(users.get(i).id(), EmailAddress.of("prize@example.com"), true));

        assertThat(results).containsOnlyOnce(true);
        UserId winner = users.get(results.indexOf(true)).id();
        assertThat(store.findByEmail(EmailAddress.of("prize@example.com"))).map(StoredUser::id).contains(winner);
        for (int i = 0; i < users.size(); i++) {
            if (!results.get(i)) {
                assertThat(store.findById(users.get(i).id()).orElseThrow().email()).isEqualTo(users.get(i).email());
            }
        }
    }

    @Test
    void markEmailVerifiedSetsTheFlag() {
        StoredUser user = user("nia@example.com");
        store.insert(user);

        store.markEmailVerified(user.id());

        assertSameUser(store.findById(user.id()).orElseThrow(), user.withEmailVerified(true));
    }

    @Test
    void setDisabledTurnsTheFlagOnAndOff() {
        StoredUser user = user("oscar@example.com");
        store.insert(user);

        store.setDisabled(user.id(), true);
        assertSameUser(store.findById(user.id()).orElseThrow(), user.withDisabled(true));

        store.setDisabled(user.id(), false);
        assertSameUser(store.findById(user.id()).orElseThrow(), user);
    }

    @Test
    void setRolesReplacesTheRoles() {
        StoredUser user = withRoles(user("peggy@example.com"), "a", "b");
        store.insert(user);

        store.setRoles(user.id(), Set.of("b", "c"));
        assertThat(store.findById(user.id()).orElseThrow().roles()).containsExactlyInAnyOrder("b", "c");

        store.setRoles(user.id(), Set.of());
        assertThat(store.findById(user.id()).orElseThrow().roles()).isEmpty();
        assertThat(store.findByEmail(user.email()).orElseThrow().roles()).isEmpty();
    }

    @Test
    void concurrentSetRolesLeaveOneOfTheWrittenSets() {
        StoredUser user = user("quentin@example.com");
        store.insert(user);
        List<Set<String>> sets = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> Set.of("role" + i, "shared")).toList();

        Concurrently.run(20, i -> () -> {
            store.setRoles(user.id(), sets.get(i));
            return null;
        });

        assertThat(sets).contains(store.findById(user.id()).orElseThrow().roles());
    }

    @Test
    void updatesOfAnUnknownIdChangeNothingAndDoNotFail() {
        StoredUser bystander = user("rupert@example.com");
        store.insert(bystander);
        UserId unknown = UserId.random();

        assertThatCode(() -> {
            store.updatePasswordHash(unknown, new PasswordHash("x"));
            store.markEmailVerified(unknown);
            store.setDisabled(unknown, true);
            store.setRoles(unknown, Set.of("admin"));
        }).doesNotThrowAnyException();
        assertThat(store.updateEmail(unknown, EmailAddress.of("ghost@example.com"), true)).isFalse();

        assertThat(store.findById(unknown)).isEmpty();
        assertThat(store.findByEmail(EmailAddress.of("ghost@example.com"))).isEmpty();
        assertSameUser(store.findById(bystander.id()).orElseThrow(), bystander);
    }

    @Test
    void rolesOfAnUnknownIdDoNotAttachToALaterAccountWithThatId() {
        UserId id = UserId.random();
        store.setRoles(id, Set.of("admin"));

        StoredUser user = new StoredUser(id, EmailAddress.of("sybil@example.com"), new PasswordHash("h"),
                now(), false, false, Set.of());
        store.insert(user);

        assertThat(store.findById(id).orElseThrow().roles()).isEmpty();
    }

    @Test
    void updatesTouchOnlyTheirAccount() {
        StoredUser a = user("trent@example.com");
        StoredUser b = withRoles(user("uma@example.com"), "x");
        store.insert(a);
        store.insert(b);

        store.updatePasswordHash(a.id(), new PasswordHash("changed"));
        store.markEmailVerified(a.id());
        store.setDisabled(a.id(), true);
        store.setRoles(a.id(), Set.of("admin"));

        assertSameUser(store.findById(b.id()).orElseThrow(), b);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The clock's instant, truncated to milliseconds. */
    protected Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new unverified, enabled account with a random id and no roles. */
    protected StoredUser user(String email) {
        return new StoredUser(UserId.random(), EmailAddress.of(email),
                new PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$" + email.hashCode() + "$x"),
                now(), false, false, Set.of());
    }

    private static StoredUser withRoles(StoredUser user, String... roles) {
        return user.withRoles(Set.of(roles));
    }

    /** Compares every component, the display form of the email included. */
    protected static void assertSameUser(StoredUser actual, StoredUser expected) {
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.email().display()).isEqualTo(expected.email().display());
        assertThat(actual.email().canonical()).isEqualTo(expected.email().canonical());
        assertThat(actual.passwordHash()).isEqualTo(expected.passwordHash());
        assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
        assertThat(actual.emailVerified()).as("emailVerified").isEqualTo(expected.emailVerified());
        assertThat(actual.disabled()).as("disabled").isEqualTo(expected.disabled());
        assertThat(actual.roles()).containsExactlyInAnyOrderElementsOf(expected.roles());
    }
}
