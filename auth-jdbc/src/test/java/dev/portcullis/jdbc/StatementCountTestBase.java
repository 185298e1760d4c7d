package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.portcullis.Portcullis;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.session.LoginResult;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.Attempts;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.StoredUser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many SQL statements the store calls on the login path execute, counted through a
 * {@link CountingDataSource}: each store under test is new, so the count includes its first call
 * (dialect detection reads metadata and executes nothing). Setup goes through stores on the plain
 * data source and is not counted. A subclass per database.
 */
abstract class StatementCountTestBase {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.500Z");

    /** This class's database, created (and migrated) on first call. */
    abstract TestDatabase database();

    /** Statements of one upsert ({@code recordFailure}, {@code advance}): one where the database returns the row it wrote. */
    abstract int upsertStatements();

    /** Commits of one upsert: none where it is a single statement in auto-commit mode. */
    abstract int upsertCommits();

    /**
     * A successful password login: both throttle counters (one read), the user by email, the
     * attempt reserved before the verify on the account and on the address (one upsert of both
     * rows), the address reservation taken back and the account's counter cleared (one update), the
     * session inserted, and the credential stamp re-read by id (the re-check against a password
     * reset that raced the verify; it must follow the committed session insert, so it cannot join
     * it). Nothing else: no second counter read, no read-back of the session.
     */
    private int loginStatements() {
        return 5 + upsertStatements();
    }

    /** One hasher for the class: Argon2id at the OWASP floor costs tens of ms per hash. */
    private static final DelegatingPasswordHasher HASHER = DelegatingPasswordHasher.argon2idWithBcryptUpgrade();

    CountingDataSource counting;

    @BeforeEach
    void countOnACleanDatabase() {
        database().clean();
        counting = new CountingDataSource(database().dataSource());
    }

    @Test
    void aSuccessfulFormLoginReadsTheUserOnceAndNeverReadsBackItsSession() {
        String password = "violet tractor umbrella seventeen";
        StoredUser user;
        try (RawPassword p = RawPassword.of(password)) {
            user = new StoredUser(UserId.random(), EmailAddress.of("count-" + UUID.randomUUID() + "@example.com"),
                    HASHER.hash(p), NOW, true, false, Set.of("user"));
        }
        new JdbcUserStore(database().dataSource(), database().options()).insert(user);
        try (Portcullis auth = Portcullis.builder().stores(JdbcStores.create(counting, database().options()))
                .passwordHasher(HASHER).build()) {
            counting.reset();

            LoginResult result = auth.sessions().login(new Credentials(user.email().display(), RawPassword.of(password)),
                    "203.0.113.7");

            assertThat(result).isInstanceOf(LoginResult.Success.class);
            List<String> sql = counting.statements();
            assertThat(sql).as("statements of one login: %s", sql).hasSize(loginStatements());
            String users = database().options().table("users");
            String sessions = database().options().table("sessions");
            assertThat(sql).filteredOn(q -> q.startsWith("SELECT") && q.contains(" " + users + " "))
                    .as("the user by email, then the credential stamp by id").hasSize(2)
                    .first().asString().contains("email");
            assertThat(sql).filteredOn(q -> q.startsWith("SELECT") && q.contains(sessions)).as("no session read-back").isEmpty();

            counting.reset();
            assertThat(auth.sessions().currentUser(((LoginResult.Success) result).session()))
                    .as("the browser's next request").contains(((LoginResult.Success) result).user());
            assertThat(counting.count()).as("served from the lookup cache the sign-in primed").isZero();
        }
    }

    @Test
    void attemptsFindAllOfTwoKeysIsOneStatement() {
        JdbcAttemptStore setup = new JdbcAttemptStore(database().dataSource(), database().options());
        Attempts account = setup.recordFailure("acct:1", NOW, NOW.minusSeconds(60));
        Attempts address = setup.recordFailure("addr:1", NOW, NOW.minusSeconds(60));

        assertThat(attempts().findAll(List.of("acct:1", "addr:1"))).containsOnly(entry("acct:1", account), entry("addr:1", address));

        assertThat(counting.count()).isEqualTo(1);
        assertThat(counting.statements().get(0)).contains("IN (?, ?)");
    }

    @Test
    void attemptsFindAllOfNoKeysIsNoStatement() {
        assertThat(attempts().findAll(List.of())).isEmpty();

        assertThat(counting.count()).isZero();
    }

    @Test
    void attemptsRecordFailureOnANewKeyIsOneUpsert() {
        assertThat(attempts().recordFailure("acct:1", NOW, NOW.minusSeconds(60))).isEqualTo(new Attempts(1, NOW, NOW));

        assertThat(counting.count()).isEqualTo(upsertStatements());
        assertThat(counting.commits()).isEqualTo(upsertCommits());
    }

    @Test
    void attemptsRecordFailureOnAnExistingKeyIsOneUpsert() {
        new JdbcAttemptStore(database().dataSource(), database().options()).recordFailure("acct:1", NOW, NOW.minusSeconds(60));
        Instant later = NOW.plusSeconds(1);

        assertThat(attempts().recordFailure("acct:1", later, NOW.minusSeconds(60))).isEqualTo(new Attempts(2, NOW, later));

        assertThat(counting.count()).isEqualTo(upsertStatements());
        assertThat(counting.commits()).isEqualTo(upsertCommits());
    }

    @Test
    void attemptsRecordFailuresOfTwoKeysIsOneUpsert() {
        new JdbcAttemptStore(database().dataSource(), database().options()).recordFailure("acct:1", NOW, NOW.minusSeconds(60));
        Instant later = NOW.plusSeconds(1);

        assertThat(attempts().recordFailures(java.util.Map.of("acct:1", NOW.minusSeconds(60), "addr:1",
                NOW.minusSeconds(60)), later)).containsOnly(entry("acct:1", new Attempts(2, NOW, later)),
                entry("addr:1", new Attempts(1, later, later)));

        assertThat(counting.count()).isEqualTo(upsertStatements());
        assertThat(counting.commits()).isEqualTo(upsertCommits());
    }

    @Test
    void attemptsClearAndReleaseIsOneStatement() {
        JdbcAttemptStore setup = new JdbcAttemptStore(database().dataSource(), database().options());
        setup.recordFailure("acct:1", NOW, NOW.minusSeconds(60));
        setup.recordFailure("addr:1", NOW, NOW.minusSeconds(60));
        setup.recordFailure("addr:1", NOW, NOW.minusSeconds(60));

        attempts().clearAndRelease("acct:1", List.of("addr:1"));

        assertThat(counting.count()).isEqualTo(1);
        assertThat(counting.commits()).isZero();
        assertThat(setup.findAll(List.of("acct:1", "addr:1"))).containsOnly(entry("addr:1", new Attempts(1, NOW, NOW)));
    }

    @Test
    void attemptsReleaseIsOneStatement() {
        new JdbcAttemptStore(database().dataSource(), database().options()).recordFailure("addr:1", NOW, NOW.minusSeconds(60));

        attempts().release("addr:1");

        assertThat(counting.count()).isEqualTo(1);
        assertThat(counting.commits()).isZero();
    }

    @Test
    void attemptsFindAndClearAreOneStatementEach() {
        new JdbcAttemptStore(database().dataSource(), database().options()).recordFailure("acct:1", NOW, NOW.minusSeconds(60));
        JdbcAttemptStore attempts = attempts();

        assertThat(attempts.find("acct:1")).isPresent();
        attempts.clear("acct:1");

        assertThat(counting.count()).isEqualTo(2);
        assertThat(counting.commits()).isZero();
    }

    @Test
    void usersFindByEmailIsOneStatementWithTheRoles() {
        StoredUser user = user();
        new JdbcUserStore(database().dataSource(), database().options()).insert(user);

        assertThat(new JdbcUserStore(counting, database().options()).findByEmail(user.email()))
                .hasValueSatisfying(found -> assertThat(found.roles()).containsExactlyInAnyOrder("a", "b"));

        assertThat(counting.count()).isEqualTo(1);
    }

    @Test
    void usersFindByIdIsOneStatement() {
        StoredUser user = user();
        new JdbcUserStore(database().dataSource(), database().options()).insert(user);

        assertThat(new JdbcUserStore(counting, database().options()).findById(user.id())).isPresent();

        assertThat(counting.count()).isEqualTo(1);
    }

    @Test
    void sessionsInsertIsOneStatement() {
        SessionRecord session = new SessionRecord(TokenDigest.of(UUID.randomUUID().toString()), UserId.random(), NOW, NOW,
                "192.0.2.1");

        new JdbcSessionStore(counting, database().options()).insert(session);

        assertThat(counting.count()).isEqualTo(1);
        assertThat(counting.commits()).isZero();
        assertThat(new JdbcSessionStore(database().dataSource(), database().options()).find(session.id())).contains(session);
    }

    @Test
    void tokenEpochsAdvanceIsOneUpsert() {
        JdbcTokenEpochStore epochs = new JdbcTokenEpochStore(counting, database().options());
        UserId user = UserId.random();

        assertThat(epochs.advance(user)).isEqualTo(1);
        assertThat(epochs.advance(user)).isEqualTo(2);

        assertThat(counting.count()).isEqualTo(2 * upsertStatements());
        assertThat(counting.commits()).isEqualTo(2 * upsertCommits());
    }

    JdbcAttemptStore attempts() {
        return new JdbcAttemptStore(counting, database().options());
    }

    static StoredUser user() {
        return new StoredUser(UserId.random(), EmailAddress.of(UUID.randomUUID() + "@example.com"), new PasswordHash("h"),
                NOW, true, false, Set.of("a", "b"));
    }
}
