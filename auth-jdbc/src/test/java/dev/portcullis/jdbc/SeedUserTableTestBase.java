package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.UserId;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's Flask app's own table, as it leaves it: {@code user(id INTEGER PRIMARY KEY
 * [generated], email VARCHAR(120) UNIQUE, password VARCHAR(60))}, five users with
 * Flask-Bcrypt's {@code $2b$} hashes, mapped with database-generated integer ids. One subclass
 * per database (and MariaDB twice: strict, and {@code sql_mode=''}, which cuts over-long values
 * short without an error). Each class gets a database of its own, so the table is really called
 * {@code user} (a reserved word in PostgreSQL).
 */
abstract class SeedUserTableTestBase {

    /** One for all classes: Argon2id's self-test and hashing cost tens of milliseconds. */
    private static final DelegatingPasswordHasher HASHER = DelegatingPasswordHasher.argon2idWithBcryptUpgrade();
    static final String[] EMAILS = {"Ada.Lovelace@Example.com", "grace@example.com", "alan@example.com",
            "edsger@example.com", "barbara@example.com"};
    static final String NEW_PASSWORD = "violet tractor umbrella seventeen";

    TestDatabase database;
    /** Identifier quote of the database. */
    String q;
    final List<String> bcryptHashes = new ArrayList<>();
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** A database of the class's own, e.g. {@code TestDatabase.isolated(JdbcDialect.H2, null)}. */
    abstract TestDatabase createDatabase();

    /** The seed table, with an integer key the database generates. */
    abstract String createSeedTable();

    /**
     * The advice of docs/guide/jdbc.md for an indexed case-insensitive lookup: runs its DDL on the
     * seed table and returns the mapping that goes with it.
     */
    abstract UserTableMapping applyLookupIndexAdvice();

    /** The plan of {@code sql} with {@code parameter} bound, one line per row of EXPLAIN's output. */
    abstract List<String> explain(String sql, String parameter) throws SQLException;

    /** Asserts that the plan reads table {@code user} through the index the advice created. */
    abstract void assertUsesTheLookupIndex(List<String> plan);

    static String password(int user) {
        return "flask era password number " + user;
    }

    @BeforeEach
    void createSeedTableWithFlaskUsers() throws SQLException {
        database = createDatabase().migrate();
        q = database.dialect() == JdbcDialect.MARIADB ? "`" : "\"";
        database.execute(createSeedTable());
        for (int i = 0; i < EMAILS.length; i++) {
            // What Flask-Bcrypt writes ($2b$), at a low cost to keep the test fast.
            String hash = BCrypt.with(BCrypt.Version.VERSION_2B).hashToString(6, password(i + 1).toCharArray());
            bcryptHashes.add(hash);
            insertAsTheOldAppDoes(EMAILS[i], hash);
        }
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void dropDatabase() {
        Logger.getLogger("").removeHandler(capture);
        if (database != null) { // null when the database's service is not configured (the test was skipped)
            database.close();
        }
    }

    UserTableMapping seedMapping() {
        return UserTableMapping.builder("user")
                .id("id", UserTableMapping.IdType.GENERATED_INTEGER)
                .email("email")
                .passwordHash("password")
                .build();
    }

    Portcullis portcullis(JdbcUserStore users) {
        return Portcullis.builder()
                .stores(Stores.of(users, new InMemorySessionStore(), new InMemoryAttemptStore()))
                .passwordHasher(HASHER)
                .build();
    }

    JdbcUserStore store(UserTableMapping mapping) {
        return JdbcUserStore.mapped(database.dataSource(), mapping, database.options());
    }

    // ---- a hash column too narrow for Argon2id ------------------------------------------------

    @Test
    void withTheNarrowColumnOldPasswordsSignInRepeatedlyTheHashStaysBcryptAndOneWarningNamesTheFix()
            throws SQLException {
        Portcullis portcullis = portcullis(store(seedMapping()));

        for (int attempt = 0; attempt < 3; attempt++) {
            for (int user = 1; user <= EMAILS.length; user++) {
                assertThat(login(portcullis, EMAILS[user - 1].toLowerCase(), password(user)))
                        .isInstanceOf(LoginResult.Success.class);
            }
        }

        for (int user = 1; user <= EMAILS.length; user++) {
            assertThat(storedHash(user)).isEqualTo(bcryptHashes.get(user - 1));
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getMessage())
                .contains("user", "password", "holds 60 characters", "ALTER TABLE " + q + "user" + q);
    }

    @Test
    void theCheckNamesTheNarrowColumnAndItsAlterRefusesOnRequestAndTheAlterFixesIt() {
        UserTableCheck check = new UserTableCheck(database.dataSource(), seedMapping(), database.options());

        assertThat(check.passwordHashWidth()).isEqualTo(60);
        assertThat(check.hashColumnProblem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains("holds 60 characters", "ALTER TABLE"));
        assertThatThrownBy(check::requireWideHashColumn).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ALTER TABLE");

        database.execute(suggestedAlter(check));

        assertThat(check.passwordHashWidth()).isEqualTo(UserTableCheck.RECOMMENDED_HASH_WIDTH);
        assertThat(check.hashColumnProblem()).isEmpty();
    }

    @Test
    void registrationOnTheNarrowColumnFailsBeforeAnythingIsWritten() throws SQLException {
        Portcullis portcullis = portcullis(store(seedMapping()));

        assertThatThrownBy(() -> register(portcullis, "newcomer@example.com"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("does not fit")
                .hasMessageContaining("ALTER TABLE");

        assertThat(count("SELECT COUNT(*) FROM " + q + "user" + q)).isEqualTo(EMAILS.length);
    }

    @Test
    void aHashTheDatabaseCutsShortIsRolledBackAndTheOldOneKeepsWorking() throws SQLException {
        widen();
        String cutter = cutShortTrigger();
        if (cutter == null) {
            return; // H2 triggers are Java classes; PostgreSQL and MariaDB cover this.
        }
        database.execute(cutter.split(";;"));
        Portcullis portcullis = portcullis(store(seedMapping()));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThat(login(portcullis, "grace@example.com", password(2))).isInstanceOf(LoginResult.Success.class);
        }

        assertThat(storedHash(2)).isEqualTo(bcryptHashes.get(1));
    }

    /** A trigger that cuts every updated hash to 60 characters without an error; null where not shown. */
    String cutShortTrigger() {
        return null;
    }

    // ---- after widening ------------------------------------------------------------------------

    @Test
    void afterWideningOldPasswordsSignInAndUpgradeToArgon2id() throws SQLException {
        widen();
        Portcullis portcullis = portcullis(store(seedMapping()));

        LoginResult result = login(portcullis, "ada.lovelace@example.com", password(1));

        assertThat(result).isInstanceOf(LoginResult.Success.class);
        assertThat(((LoginResult.Success) result).userId()).isEqualTo(new UserId("1"));
        assertThat(storedHash(1)).startsWith("$argon2id$");
        assertThat(storedHash(2)).isEqualTo(bcryptHashes.get(1));
        assertThat(login(portcullis, "Ada.Lovelace@Example.com", password(1))).isInstanceOf(LoginResult.Success.class);
        assertThat(login(portcullis, "Ada.Lovelace@Example.com", password(2)))
                .isInstanceOf(LoginResult.InvalidCredentials.class);
        assertThat(warnings).isEmpty();
    }

    @Test
    void registrationInsertsWithAGeneratedIntegerIdAndTheNewcomerSignsIn() throws SQLException {
        widen();
        JdbcUserStore users = store(seedMapping());
        Portcullis portcullis = portcullis(users);

        RegistrationResult result = register(portcullis, "Newcomer@Example.com");

        assertThat(result).isInstanceOf(RegistrationResult.Registered.class);
        UserId id = ((RegistrationResult.Registered) result).user().id();
        assertThat(id).isEqualTo(new UserId(String.valueOf(EMAILS.length + 1)));
        assertThat(count("SELECT COUNT(*) FROM " + q + "user" + q + " WHERE " + q + "id" + q + " = " + id.value()
                + " AND " + q + "email" + q + " = 'Newcomer@Example.com'")).isEqualTo(1);
        assertThat(storedHash(Integer.parseInt(id.value()))).startsWith("$argon2id$");
        assertThat(portcullis.sessions().currentUser(((RegistrationResult.Registered) result).session()))
                .hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(id));
        LoginResult login = login(portcullis, "newcomer@example.com", NEW_PASSWORD);
        assertThat(login).isInstanceOf(LoginResult.Success.class);
        assertThat(((LoginResult.Success) login).userId()).isEqualTo(id);
        assertThat(register(portcullis, "NEWCOMER@example.com")).isInstanceOf(RegistrationResult.EmailTaken.class);
        assertThat(users.findById(id)).hasValueSatisfying(u -> assertThat(u.email().display())
                .isEqualTo("Newcomer@Example.com"));
    }

    // ---- before the switch -----------------------------------------------------------------------

    @Test
    void caseDuplicatesAreListedBeforeTheSwitch() throws SQLException {
        UserTableCheck check = new UserTableCheck(database.dataSource(), seedMapping(), database.options());
        assertThat(check.findCaseDuplicates()).isEmpty();

        boolean stored = tryInsertAsTheOldAppDoes("ADA.LOVELACE@example.com", bcryptHashes.get(0))
                & tryInsertAsTheOldAppDoes("ada.lovelace@EXAMPLE.COM", bcryptHashes.get(0));

        if (database.dialect() == JdbcDialect.MARIADB) {
            // Its default collation (utf8mb4_general_ci) makes the UNIQUE index case-insensitive already.
            assertThat(stored).isFalse();
            assertThat(check.findCaseDuplicates()).isEmpty();
            return;
        }
        assertThat(stored).isTrue();
        List<List<String>> duplicates = check.findCaseDuplicates();
        assertThat(duplicates).hasSize(1);
        assertThat(duplicates.get(0)).containsExactlyInAnyOrder("Ada.Lovelace@Example.com", "ADA.LOVELACE@example.com",
                "ada.lovelace@EXAMPLE.COM");
        // The query docs/guide/jdbc.md gives, verbatim apart from the quotes.
        String email = q + "email" + q;
        assertThat(count("SELECT COUNT(*) FROM (SELECT LOWER(" + email + ") AS address, COUNT(*) AS accounts FROM "
                + q + "user" + q + " GROUP BY LOWER(" + email + ") HAVING COUNT(*) > 1) d")).isEqualTo(1);
    }

    @Test
    void theDocumentedLookupIndexIsUsedAndRegistrationStillWorks() throws SQLException {
        widen();
        // Enough rows that a full scan costs more than the index on every planner.
        for (int i = 0; i < 300; i++) {
            insertAsTheOldAppDoes("filler" + i + "@Example.com", bcryptHashes.get(0));
        }
        UserTableMapping mapping = applyLookupIndexAdvice();
        JdbcUserStore users = store(mapping);
        Portcullis portcullis = portcullis(users);

        assertThat(register(portcullis, "Indexed@Example.com")).isInstanceOf(RegistrationResult.Registered.class);
        assertThat(login(portcullis, "indexed@example.com", NEW_PASSWORD)).isInstanceOf(LoginResult.Success.class);
        assertThat(users.findByEmail(EmailAddress.of("ADA.LOVELACE@example.com"))).isPresent();

        String sql = ((MappedUserTable) users.table("explain")).findByEmailSql();
        assertUsesTheLookupIndex(explain(sql, "filler150@example.com"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Runs the ALTER that the check suggests. */
    void widen() {
        database.execute(suggestedAlter(new UserTableCheck(database.dataSource(), seedMapping(), database.options())));
    }

    private static String suggestedAlter(UserTableCheck check) {
        String problem = check.hashColumnProblem().orElseThrow();
        return problem.substring(problem.indexOf("ALTER TABLE"));
    }

    static LoginResult login(Portcullis portcullis, String email, String password) {
        return portcullis.sessions().login(new Credentials(email, RawPassword.of(password)), "192.0.2.1");
    }

    static RegistrationResult register(Portcullis portcullis, String email) {
        return portcullis.accounts().register(new Registration(email, RawPassword.of(NEW_PASSWORD),
                RawPassword.of(NEW_PASSWORD)), "192.0.2.1");
    }

    void insertAsTheOldAppDoes(String email, String hash) throws SQLException {
        if (!tryInsertAsTheOldAppDoes(email, hash)) {
            throw new AssertionError("could not insert " + email);
        }
    }

    boolean tryInsertAsTheOldAppDoes(String email, String hash) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + "user" + q + " (" + q + "email" + q + ", "
                     + q + "password" + q + ") VALUES (?, ?)")) {
            ps.setString(1, email);
            ps.setString(2, hash);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    String storedHash(int id) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + q + "password" + q + " FROM " + q + "user" + q
                     + " WHERE " + q + "id" + q + " = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("user " + id + " exists").isTrue();
                return rs.getString(1);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows of a one-parameter statement, each row's columns joined by " | ". */
    List<String> rows(String sql, String parameter) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        cells.add(rs.getMetaData().getColumnLabel(i) + "=" + rs.getString(i));
                    }
                    lines.add(String.join(" | ", cells));
                }
            }
        }
        return lines;
    }
}
