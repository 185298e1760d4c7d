package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.StoredUser;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The migrator on one database; a subclass per database. Each test gets a fresh table prefix. */
abstract class JdbcSchemaTestBase {

    private TestDatabase database;

    abstract JdbcDialect dialect();

    @BeforeEach
    void openDatabase() {
        database = TestDatabase.of(dialect());
    }

    @AfterEach
    void dropTables() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void migrateOnAnEmptyDatabaseInstallsTheLatestVersionAndRecordsIt() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        assertThat(schema.installedVersion()).isZero();

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(schema.installedVersion()).isEqualTo(JdbcSchema.LATEST_VERSION);
        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertStoresWork();
    }

    @Test
    void migrateTwiceChangesNothingTheSecondTime() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        schema.migrate();
        JdbcUserStore users = new JdbcUserStore(database.dataSource(), database.options());
        StoredUser user = user();
        users.insert(user);

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertThat(users.findById(user.id())).isPresent();
    }

    @Test
    void rerunningTheScriptOverAnInstalledSchemaIsHarmless() {
        new JdbcSchema(database.dataSource(), database.options()).migrate();

        for (int version : JdbcSchema.VERSIONS) {
            database.execute(JdbcSchema.statements(
                    JdbcSchema.script(dialect(), version, database.options().tablePrefix())).toArray(String[]::new));
        }

        assertStoresWork();
    }

    @Test
    void migrateUpgradesADatabaseLeftAtVersionTwoToTheLatestKeepingItsData() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        assertThat(schema.migrate(2)).isEqualTo(2);
        JdbcUserStore users = new JdbcUserStore(database.dataSource(), database.options());
        StoredUser user = user();
        users.insert(user);

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertThat(users.findById(user.id())).contains(user);
        JdbcIdentityStore identities = new JdbcIdentityStore(database.dataSource(), database.options());
        IdentityRecord linked = new IdentityRecord("https://idp.example", "s1", user.id(), Optional.empty(),
                Instant.ofEpochMilli(7_000));
        assertThat(identities.insert(linked)).isTrue();
        assertThat(identities.find("https://idp.example", "s1")).contains(linked);
    }

    @Test
    void migrateUpgradesADatabaseLeftAtVersionOneToTwoKeepingItsData() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        assertThat(schema.migrate(1)).isEqualTo(1);
        assertThat(schema.installedVersion()).isEqualTo(1);
        JdbcUserStore users = new JdbcUserStore(database.dataSource(), database.options());
        StoredUser user = user();
        users.insert(user);
        // A row as version 1 wrote it (today's session store needs the columns of version 3).
        database.execute("INSERT INTO " + database.options().table("sessions")
                + " (id, user_id, created_at, last_seen_at, client_address) VALUES ('" + TokenDigest.of("session").hex()
                + "', '" + user.id().value() + "', 5000, 6000, '203.0.113.9')");
        JdbcSessionStore sessions = new JdbcSessionStore(database.dataSource(), database.options());
        SessionRecord session = new SessionRecord(TokenDigest.of("session"), user.id(), Instant.ofEpochMilli(5_000),
                Instant.ofEpochMilli(6_000), "203.0.113.9");

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(schema.installedVersion()).isEqualTo(JdbcSchema.LATEST_VERSION);
        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertThat(users.findById(user.id())).contains(user);
        assertThat(sessions.find(session.id())).contains(session);
        assertStoresWork();
    }

    @Test
    void migrateUpgradesADatabaseLeftAtVersionTwoKeepingSessionsWithoutProofs() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        assertThat(schema.migrate(2)).isEqualTo(2);
        StoredUser user = user();
        new JdbcUserStore(database.dataSource(), database.options()).insert(user);
        String sessions = database.options().table("sessions");
        database.execute("INSERT INTO " + sessions + " (id, user_id, created_at, last_seen_at, client_address) VALUES ('"
                + TokenDigest.of("old").hex() + "', '" + user.id().value() + "', 5000, 6000, '203.0.113.9')");

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        JdbcSessionStore store = new JdbcSessionStore(database.dataSource(), database.options());
        assertThat(store.find(TokenDigest.of("old"))).contains(new SessionRecord(TokenDigest.of("old"), user.id(),
                Instant.ofEpochMilli(5_000), Instant.ofEpochMilli(6_000), "203.0.113.9"));
        store.recordProofs(TokenDigest.of("old"), Instant.ofEpochMilli(7_000), null);
        assertThat(store.find(TokenDigest.of("old")).orElseThrow().passwordAt()).isEqualTo(Instant.ofEpochMilli(7_000));
        assertStoresWork();
    }

    @Test
    void migrateAfterTheUpgradeChangesNothing() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        schema.migrate(1);
        schema.migrate();
        JdbcRefreshTokenStore refresh = new JdbcRefreshTokenStore(database.dataSource(), database.options());
        RefreshTokenRecord token = refreshToken();
        refresh.insert(token);

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertThat(refresh.find(token.id())).contains(token);
    }

    @Test
    void nodesStartingAtOnceUpgradeFromVersionOneOnce() throws Exception {
        new JdbcSchema(database.dataSource(), database.options()).migrate(1);
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                Callable<Integer> node = () -> {
                    go.await();
                    return new JdbcSchema(database.dataSource(), database.options()).migrate();
                };
                results.add(pool.submit(node));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(JdbcSchema.LATEST_VERSION);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertStoresWork();
    }

    @Test
    void nodesStartingAtOnceInstallTheSchemaOnce() throws Exception {
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                Callable<Integer> node = () -> {
                    go.await();
                    return new JdbcSchema(database.dataSource(), database.options()).migrate();
                };
                results.add(pool.submit(node));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(JdbcSchema.LATEST_VERSION);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        assertStoresWork();
    }

    @Test
    void shippedScriptIsOnTheClassPathWithTheDefaultPrefix() {
        String script = JdbcSchema.script(dialect(), 1, JdbcOptions.DEFAULT_TABLE_PREFIX);

        assertThat(script).contains("CREATE TABLE IF NOT EXISTS portcullis_users")
                .contains("portcullis_sessions").contains("portcullis_attempts");
        assertThat(JdbcSchema.script(dialect(), 1, "app_")).contains("app_users").doesNotContain("portcullis_");

        assertThat(dialect().schemaResource(2)).endsWith("/V2__portcullis_tokens.sql");
        String tokens = JdbcSchema.script(dialect(), 2, JdbcOptions.DEFAULT_TABLE_PREFIX);
        assertThat(tokens).contains("CREATE TABLE IF NOT EXISTS portcullis_remember_me")
                .contains("portcullis_one_time_tokens").contains("portcullis_refresh_tokens")
                .contains("portcullis_api_keys").contains("portcullis_api_key_scopes").contains("portcullis_token_epochs");
        assertThat(dialect().schemaResource(4)).endsWith("/V4__portcullis_identities.sql");
        assertThat(JdbcSchema.script(dialect(), 4, JdbcOptions.DEFAULT_TABLE_PREFIX))
                .contains("CREATE TABLE IF NOT EXISTS portcullis_identities");
        assertThat(JdbcSchema.script(dialect(), 4, "app_")).contains("app_identities_user_idx").doesNotContain("portcullis_");
        assertThat(JdbcSchema.script(dialect(), 2, "app_")).contains("app_refresh_tokens")
                .contains("app_api_key_scopes_key_fk").doesNotContain("portcullis_");
        assertThat(dialect().schemaResource(3)).endsWith("/V3__portcullis_second_factors.sql");
        assertThat(JdbcSchema.script(dialect(), 3, "app_")).contains("app_totp_enrolments").contains("app_recovery_codes")
                .contains("app_pending_sign_ins").contains("ALTER TABLE app_sessions").doesNotContain("portcullis_");
    }

    private void assertStoresWork() {
        JdbcUserStore users = new JdbcUserStore(database.dataSource(), database.options());
        StoredUser user = user();
        assertThat(users.insert(user)).isTrue();
        assertThat(users.findByEmail(user.email())).isPresent();
        assertThat(new JdbcAttemptStore(database.dataSource(), database.options())
                .recordFailure("k", Instant.EPOCH, Instant.EPOCH).failures()).isEqualTo(1);
        JdbcRefreshTokenStore refresh = new JdbcRefreshTokenStore(database.dataSource(), database.options());
        RefreshTokenRecord token = refreshToken();
        refresh.insert(token);
        assertThat(refresh.markUsed(token.id(), Instant.ofEpochMilli(3_000))).isTrue();
        assertThat(new JdbcTokenEpochStore(database.dataSource(), database.options()).advance(user.id())).isEqualTo(1);
        JdbcApiKeyStore keys = new JdbcApiKeyStore(database.dataSource(), database.options());
        ApiKeyRecord key = new ApiKeyRecord(TokenDigest.of("key-" + user.id()), "key-" + user.id(), user.id(), "ci",
                Set.of("read"), Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(9_000), Optional.empty());
        keys.insert(key);
        assertThat(keys.findAllForUser(user.id())).containsExactly(key);
        JdbcSecondFactorStore factors = new JdbcSecondFactorStore(database.dataSource(), database.options());
        assertThat(factors.savePendingTotp(new dev.portcullis.spi.TotpEnrolment(user.id(), "v1.x", Instant.EPOCH, null,
                -1))).isTrue();
        assertThat(new JdbcPendingSignInStore(database.dataSource(), database.options()).recordAttempt(
                TokenDigest.of("none"))).isEmpty();
    }

    private static RefreshTokenRecord refreshToken() {
        return new RefreshTokenRecord(TokenDigest.of(UserId.random().value()), UserId.random(), "family",
                Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(9_000), Optional.empty());
    }

    private static StoredUser user() {
        return new StoredUser(UserId.random(), EmailAddress.of(UserId.random().value() + "@example.com"),
                new PasswordHash("h"), Instant.ofEpochMilli(1_000), false, false, Set.of("r"));
    }

    @Test
    void migrateRunsAShippedVersionMissingBelowTheHighestInstalledOne() throws SQLException {
        JdbcSchema schema = new JdbcSchema(database.dataSource(), database.options());
        schema.migrate();
        // As a database migrated by a release that lacked version 3 would look: the lower version is
        // applied all the same.
        database.execute("DELETE FROM " + database.options().table("schema_history") + " WHERE version = 3");

        assertThat(schema.migrate()).isEqualTo(JdbcSchema.LATEST_VERSION);

        assertThat(historyVersions()).containsExactlyElementsOf(JdbcSchema.VERSIONS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbcSchema.script(dialect(), 6, "portcullis_"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 2, 3, 4, 5]");
        assertThat(JdbcSchema.script(dialect(), 5, "app_")).contains("app_passkeys").contains("app_passkey_challenges")
                .doesNotContain("portcullis_");
    }

    private List<Integer> historyVersions() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + database.options().table("schema_history")
                     + " ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            return versions;
        }
    }
}
