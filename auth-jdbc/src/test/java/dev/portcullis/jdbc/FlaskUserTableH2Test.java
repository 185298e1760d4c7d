package dev.portcullis.jdbc;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.model.Credentials;
import dev.portcullis.session.LoginResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.UserId;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.StoredUser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An existing Flask-style app: {@code user(id INTEGER, email VARCHAR, password VARCHAR)} holding
 * bcrypt hashes, mixed-case addresses. Its users log in through Portcullis and are upgraded to
 * Argon2id in place.
 */
class FlaskUserTableH2Test {

    private static final String PASSWORD = "correct horse battery staple";

    private TestDatabase database;
    private JdbcUserStore users;
    private Portcullis portcullis;

    @BeforeEach
    void createFlaskTable() throws SQLException {
        database = TestDatabase.h2().migrate();
        // Names quoted in lower case, as PostgreSQL keeps SQLAlchemy's unquoted DDL (H2 would upper-case them).
        database.execute("CREATE TABLE \"user\" (\"id\" INTEGER AUTO_INCREMENT PRIMARY KEY, "
                + "\"email\" VARCHAR(120) NOT NULL UNIQUE, \"password\" VARCHAR(60) NOT NULL)");
        insertFlaskUser("Ada.Lovelace@Example.com", bcrypt(PASSWORD));
        insertFlaskUser("someone@example.com", bcrypt("another password of theirs"));
        // The one schema change the app needs: bcrypt fits in 60 characters, Argon2id PHC strings do not.
        database.execute("ALTER TABLE \"user\" ALTER COLUMN \"password\" VARCHAR(255)");
        UserTableMapping mapping = UserTableMapping.builder("user")
                .id("id").numericIds()
                .email("email")
                .passwordHash("password")
                .build();
        users = JdbcUserStore.mapped(database.dataSource(), mapping, database.options());
        portcullis = Portcullis.builder()
                .stores(Stores.of(users, new InMemorySessionStore(), new InMemoryAttemptStore()))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .build();
    }

    @AfterEach
    void dropTables() {
        database.dropAnd("\"user\"");
    }

    @Test
    void loginWithTheOldPasswordSucceedsAndUpgradesTheHashToArgon2id() throws SQLException {
        assertThat(storedHash(1)).startsWith("$2b$");

        LoginResult result = portcullis.sessions().login(new Credentials("ada.lovelace@example.com", RawPassword.of(PASSWORD)), "192.0.2.1");

        assertThat(result).isInstanceOf(LoginResult.Success.class);
        assertThat(((LoginResult.Success) result).userId()).isEqualTo(new UserId("1"));
        assertThat(storedHash(1)).startsWith("$argon2id$");
        assertThat(storedHash(2)).startsWith("$2b$");
        LoginResult again = portcullis.sessions().login(new Credentials("Ada.Lovelace@Example.com", RawPassword.of(PASSWORD)), "192.0.2.1");
        assertThat(again).isInstanceOf(LoginResult.Success.class);
        assertThat(portcullis.sessions().currentUser(((LoginResult.Success) again).session()))
                .hasValueSatisfying(u -> assertThat(u.email().display()).isEqualTo("Ada.Lovelace@Example.com"));
    }

    @Test
    void loginWithAWrongPasswordFailsAndLeavesTheHash() throws SQLException {
        String before = storedHash(1);

        LoginResult result = portcullis.sessions().login(new Credentials("ada.lovelace@example.com", RawPassword.of("wrong password, long enough")), "192.0.2.1");

        assertThat(result).isInstanceOf(LoginResult.InvalidCredentials.class);
        assertThat(storedHash(1)).isEqualTo(before);
    }

    @Test
    void existingRowsReadAsVerifiedEnabledAccountsWithoutRoles() {
        StoredUser ada = users.findByEmail(EmailAddress.of("ADA.LOVELACE@example.com")).orElseThrow();

        assertThat(ada.id()).isEqualTo(new UserId("1"));
        assertThat(ada.email().display()).isEqualTo("Ada.Lovelace@Example.com");
        assertThat(ada.emailVerified()).isTrue();
        assertThat(ada.disabled()).isFalse();
        assertThat(ada.roles()).isEmpty();
        assertThat(ada.createdAt()).isEqualTo(Instant.EPOCH);
        assertThat(users.findById(new UserId("not-a-number"))).isEmpty();
    }

    @Test
    void rolesAndDisablingAreKeptBesideTheAppTable() {
        portcullis.accounts().setRoles(new UserId("1"), Set.of("admin"));
        assertThat(users.findById(new UserId("1")).orElseThrow().roles()).containsExactly("admin");

        portcullis.accounts().disable(new UserId("1"), "192.0.2.1");

        assertThat(portcullis.sessions().login(new Credentials("ada.lovelace@example.com", RawPassword.of(PASSWORD)), "192.0.2.1"))
                .isInstanceOf(LoginResult.InvalidCredentials.class);
        assertThat(users.findById(new UserId("2")).orElseThrow().disabled()).isFalse();
    }

    @Test
    void insertIntoANumericIdTableIsRefusedWithTheFix() {
        StoredUser newcomer = new StoredUser(UserId.random(), EmailAddress.of("new@example.com"), new PasswordHash("h"),
                Instant.EPOCH, false, false, Set.of());

        assertThatThrownBy(() -> users.insert(newcomer))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IdType.GENERATED_INTEGER");
    }

    private static String bcrypt(String password) {
        byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 10);
    }

    private void insertFlaskUser(String email, String hash) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO \"user\" (\"email\", \"password\") VALUES (?, ?)")) {
            ps.setString(1, email);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
    }

    private String storedHash(int id) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT \"password\" FROM \"user\" WHERE \"id\" = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
