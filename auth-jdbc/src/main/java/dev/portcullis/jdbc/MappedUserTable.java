package dev.portcullis.jdbc;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.StoredUser;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An application's own account table, described by a {@link UserTableMapping}. What the table has
 * no column for lives beside it: the roles in {@code <prefix>user_roles}; creation time, verified
 * and disabled in {@code <prefix>user_state} (NULL, or no row, meaning the default). The mapping
 * decides once, here in the constructor, where each attribute is read and written.
 *
 * <p>The table may have no unique index on the address, so inserts and email changes take the
 * {@code <prefix>locks} row {@code user-email} ({@code SELECT ... FOR UPDATE}) and check the
 * address themselves: uniqueness holds for every write made through Portcullis. Integer ids
 * are found and updated as text; the database assigns new ones for
 * {@link UserTableMapping.IdType#GENERATED_INTEGER}, the application for
 * {@link UserTableMapping.IdType#APPLICATION_INTEGER} (then Portcullis cannot insert).
 *
 * <p>The hash column may be narrower than an Argon2id hash (Flask's {@code VARCHAR(60)}). The
 * constructor reads its width and warns once; {@link #canStore} then says no to hashes that do not
 * fit, so sign-in keeps the old hash instead of upgrading it, and a write of such a hash fails
 * before it reaches the database. Every hash written is read back in the same transaction and
 * rolled back unless it was stored whole, so a database that cuts values short without an error
 * (MariaDB with {@code sql_mode=''}) can never leave an account with a cut-off hash.
 */
final class MappedUserTable implements UserTable {

    private static final System.Logger LOG = System.getLogger(JdbcUserStore.class.getName());
    private static final String EMAIL_LOCK = "user-email";

    private final Jdbc db;
    private final UserRows rows;
    private final UserTableMapping mapping;
    private final String table;
    private final String id;
    private final String email;
    private final String canonical;
    /** The canonical column when Portcullis writes it; null when absent or computed by the database. */
    private final String writtenCanonical;
    private final String password;
    private final HashColumn hashColumn;
    private final String state;
    private final String locks;
    private final Flag verified;
    private final Flag disabled;
    /** Written by {@link #insert} into the table, and into the state table (user_id first). */
    private final List<Column> columns = new ArrayList<>();
    private final List<Column> stateColumns = new ArrayList<>();
    private final String emailMatches;
    private final String select;
    private final Jdbc.Row<Instant> createdAt;

    MappedUserTable(Jdbc db, JdbcOptions options, JdbcDialect dialect, UserTableMapping mapping) {
        this.db = db;
        this.rows = new UserRows(db, options);
        this.mapping = mapping;
        this.table = dialect.quote(mapping.table());
        this.id = dialect.quote(mapping.idColumn());
        this.email = dialect.quote(mapping.emailColumn());
        this.canonical = mapping.canonicalEmailColumn().map(dialect::quote).orElse(null);
        this.writtenCanonical = mapping.canonicalEmailGenerated() ? null : canonical;
        this.state = options.table("user_state");
        this.locks = options.table("locks");
        this.verified = new Flag(mapping.emailVerifiedColumn().map(dialect::quote).orElse(null), "email_verified");
        this.disabled = new Flag(mapping.disabledColumn().map(dialect::quote).orElse(null), "disabled");
        Optional<String> createdAtColumn = mapping.createdAtColumn().map(dialect::quote);
        this.password = dialect.quote(mapping.passwordHashColumn());
        this.hashColumn = db.run("checkHashColumn", c -> HashColumn.read(c, dialect, table, password));
        if (!hashColumn.wideEnough()) {
            LOG.log(System.Logger.Level.WARNING, "JdbcUserStore: " + hashColumn.tooNarrow() + ". Until then, "
                    + "sign-in keeps each old hash (it still verifies) instead of upgrading it to one that does not "
                    + "fit, and registrations and password changes whose hash does not fit fail.");
        }

        if (mapping.idType() != UserTableMapping.IdType.GENERATED_INTEGER) {
            columns.add(new Column(id, u -> u.id().value()));
        }
        columns.add(new Column(email, u -> u.email().display()));
        columns.add(new Column(password, u -> u.passwordHash().encoded()));
        stateColumns.add(new Column("user_id", u -> u.id().value()));
        if (writtenCanonical != null) {
            columns.add(new Column(writtenCanonical, u -> u.email().canonical()));
        }
        createdAtColumn.ifPresentOrElse(
                column -> columns.add(new Column(column, u -> LocalDateTime.ofInstant(u.createdAt(), ZoneOffset.UTC))),
                () -> stateColumns.add(new Column("created_at", u -> u.createdAt().toEpochMilli())));
        verified.addTo(columns, stateColumns, StoredUser::emailVerified);
        disabled.addTo(columns, stateColumns, StoredUser::disabled);

        this.createdAt = createdAtColumn.isPresent() ? MappedUserTable::timestampOrEpoch : UserRows::millisOrEpoch;
        this.emailMatches = canonical != null ? "u." + canonical + " = ?" : "LOWER(u." + email + ") = ?";
        String idText = mapping.numericIds() ? dialect.castToText("u." + id) : "u." + id;
        this.select = "SELECT u." + id + ", u." + email + ", u." + password + ", "
                + createdAtColumn.map(column -> "u." + column).orElse("s.created_at") + ", "
                + verified.selected() + ", " + disabled.selected() + ", r.role FROM " + table + " u"
                + (usesState() ? " LEFT JOIN " + state + " s ON s.user_id = " + idText : "")
                + " LEFT JOIN " + rows.rolesTable() + " r ON r.user_id = " + idText;
    }

    @Override
    public Optional<StoredUser> findByEmail(EmailAddress address) {
        // Ordered so that, with duplicate addresses in a table without a unique index, one account's rows come first.
        return db.run("findByEmail", c -> rows.first(c, findByEmailSql(), address.canonical(), createdAt,
                verifiedWhenNull()));
    }

    @Override
    public Optional<StoredUser> findById(UserId userId) {
        Optional<Object> key = key(userId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        return db.run("findById", c -> rows.first(c, select + " WHERE u." + id + " = ?", key.get(), createdAt,
                verifiedWhenNull()));
    }

    @Override
    public boolean insert(StoredUser user) {
        return insertReturningId(user).isPresent();
    }

    @Override
    public Optional<UserId> insertReturningId(StoredUser user) {
        if (mapping.idType() == UserTableMapping.IdType.APPLICATION_INTEGER) {
            throw new UnsupportedOperationException("JdbcUserStore.insert: table " + table + " has integer ids that "
                    + "the application assigns, so Portcullis cannot register accounts in it; if the database assigns "
                    + "them (identity, SERIAL, AUTO_INCREMENT), map the column with "
                    + "id(column, UserTableMapping.IdType.GENERATED_INTEGER); otherwise register through the application");
        }
        requireFits("insert", user.passwordHash());
        boolean generated = mapping.idType() == UserTableMapping.IdType.GENERATED_INTEGER;
        return db.transaction("insert", c -> {
            lockEmails(c);
            if (emailTaken(c, user.email(), null)) {
                return Optional.<UserId>empty();
            }
            StoredUser stored = generated ? withId(user, insertGenerated(c, user)) : user;
            if (!generated) {
                insertRow(c, table, columns, user);
            }
            confirmHash(c, key(stored.id()).orElseThrow(), user.passwordHash());
            // Leftovers of an account the application deleted must not attach to this one.
            rows.deleteRoles(c, stored.id());
            db.update(c, "DELETE FROM " + state + " WHERE user_id = ?", stored.id().value());
            if (usesState()) {
                insertRow(c, state, stateColumns, stored);
            }
            rows.insertRoles(c, stored.id(), stored.roles());
            return Optional.of(stored.id());
        }, Optional::empty);
    }

    @Override
    public void updatePasswordHash(UserId userId, PasswordHash newHash) {
        Optional<Object> key = key(userId);
        if (key.isEmpty()) {
            return;
        }
        requireFits("updatePasswordHash", newHash);
        db.transaction("updatePasswordHash", c -> {
            if (db.update(c, "UPDATE " + table + " SET " + password + " = ? WHERE " + id + " = ?", newHash.encoded(),
                    key.get()) > 0) {
                confirmHash(c, key.get(), newHash);
            }
            return null;
        });
    }

    @Override
    public boolean canStore(PasswordHash hash) {
        return hashColumn.fits(hash);
    }

    /** The hash column as the database declares it, read when this layout was built. */
    HashColumn hashColumn() {
        return hashColumn;
    }

    /** The statement {@link #findByEmail} runs, with one parameter (the canonical address): for EXPLAIN in tests. */
    String findByEmailSql() {
        return select + " WHERE " + emailMatches + " ORDER BY u." + id;
    }

    @Override
    public boolean updateEmail(UserId userId, EmailAddress newEmail, boolean isVerified) {
        Optional<Object> key = key(userId);
        if (key.isEmpty()) {
            return false;
        }
        return db.transaction("updateEmail", c -> {
            lockEmails(c);
            if (!lockUser(c, key.get()) || emailTaken(c, newEmail, key.get())) {
                return false;
            }
            List<String> sets = new ArrayList<>(List.of(email + " = ?"));
            List<Object> values = new ArrayList<>(List.of(newEmail.display()));
            if (writtenCanonical != null) {
                sets.add(writtenCanonical + " = ?");
                values.add(newEmail.canonical());
            }
            if (verified.inTable()) {
                sets.add(verified.column() + " = ?");
                values.add(isVerified);
            }
            values.add(key.get());
            db.update(c, "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + id + " = ?", values.toArray());
            if (!verified.inTable()) {
                setState(c, userId, verified.stateColumn(), isVerified);
            }
            return true;
        }, () -> false);
    }

    @Override
    public void markEmailVerified(UserId userId) {
        setFlag("markEmailVerified", userId, verified, true);
    }

    @Override
    public void setDisabled(UserId userId, boolean value) {
        setFlag("setDisabled", userId, disabled, value);
    }

    @Override
    public void setRoles(UserId userId, Set<String> roles) {
        Optional<Object> key = key(userId);
        if (key.isEmpty()) {
            return;
        }
        db.transaction("setRoles", c -> {
            if (lockUser(c, key.get())) {
                rows.deleteRoles(c, userId);
                rows.insertRoles(c, userId, roles);
            }
            return null;
        });
    }

    // ---- internals ---------------------------------------------------------------------------

    private boolean usesState() {
        return stateColumns.size() > 1;
    }

    /** What an unrecorded verification means: the mapping's choice when the table has no column for it. */
    private boolean verifiedWhenNull() {
        return !verified.inTable() && mapping.existingUsersVerified();
    }

    /** The id as the id column's type; empty when it cannot name a row (e.g. "abc" for an integer key). */
    private Optional<Object> key(UserId userId) {
        if (!mapping.numericIds()) {
            return Optional.of(userId.value());
        }
        try {
            return Optional.of(Long.parseLong(userId.value()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void setFlag(String operation, UserId userId, Flag flag, boolean value) {
        Optional<Object> key = key(userId);
        if (key.isEmpty()) {
            return;
        }
        if (flag.inTable()) {
            db.run(operation, c -> db.update(c, "UPDATE " + table + " SET " + flag.column() + " = ? WHERE " + id + " = ?",
                    value, key.get()));
            return;
        }
        db.transaction(operation, c -> {
            if (lockUser(c, key.get())) {
                setState(c, userId, flag.stateColumn(), value);
            }
            return null;
        });
    }

    /** Upserts one state column; the caller holds the user's row lock, so no one races this. */
    private void setState(Connection c, UserId userId, String column, boolean value) throws SQLException {
        if (db.update(c, "UPDATE " + state + " SET " + column + " = ? WHERE user_id = ?", value, userId.value()) == 0) {
            db.update(c, "INSERT INTO " + state + " (user_id, " + column + ") VALUES (?, ?)", userId.value(), value);
        }
    }

    /** A hash that would not be stored whole is refused before anything is written. */
    private void requireFits(String operation, PasswordHash hash) {
        if (!hashColumn.fits(hash)) {
            throw new StoreException("JdbcUserStore." + operation + " failed: a password hash of "
                    + hash.encoded().length() + " characters does not fit: " + hashColumn.tooNarrow(), null);
        }
    }

    /**
     * Reads the hash back inside the writing transaction; unless it is exactly what was written
     * (a database in a lenient mode may have cut it short), the write is rolled back.
     */
    private void confirmHash(Connection c, Object key, PasswordHash written) throws SQLException {
        List<String> stored = db.query(c, "SELECT u." + password + " FROM " + table + " u WHERE u." + id + " = ?",
                rs -> rs.getString(1), key);
        if (stored.size() != 1 || !written.encoded().equals(stored.get(0))) {
            int kept = stored.size() == 1 && stored.get(0) != null ? stored.get(0).length() : 0;
            throw new SQLException("the database did not store the password hash whole (kept " + kept + " of "
                    + written.encoded().length() + " characters), so nothing was changed; " + hashColumn.described()
                    + ": look for a trigger or a lenient sql_mode that changes what is written");
        }
    }

    /** Inserts the row without its id and answers the key the database generated. */
    private UserId insertGenerated(Connection c, StoredUser user) throws SQLException {
        List<String> names = columns.stream().map(Column::name).toList();
        Object[] values = columns.stream().map(column -> column.value().apply(user)).toArray();
        long key = db.insertReturningKey(c, "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + "?, ".repeat(names.size() - 1) + "?)", mapping.idColumn(), values);
        return new UserId(Long.toString(key));
    }

    private static StoredUser withId(StoredUser user, UserId id) {
        return new StoredUser(id, user.email(), user.passwordHash(), user.createdAt(), user.emailVerified(),
                user.disabled(), user.roles());
    }

    private void insertRow(Connection c, String into, List<Column> written, StoredUser user) throws SQLException {
        List<String> names = written.stream().map(Column::name).toList();
        Object[] values = written.stream().map(column -> column.value().apply(user)).toArray();
        db.update(c, "INSERT INTO " + into + " (" + String.join(", ", names) + ") VALUES ("
                + "?, ".repeat(names.size() - 1) + "?)", values);
    }

    private boolean lockUser(Connection c, Object key) throws SQLException {
        return rows.lock(c, "SELECT " + id + " FROM " + table + " WHERE " + id + " = ? FOR UPDATE", key);
    }

    private void lockEmails(Connection c) throws SQLException {
        if (!rows.lock(c, "SELECT name FROM " + locks + " WHERE name = ? FOR UPDATE", EMAIL_LOCK)) {
            throw new SQLException("lock row '" + EMAIL_LOCK + "' is missing from " + locks
                    + ": install the schema with JdbcSchema.migrate() or the shipped V1 SQL file");
        }
    }

    private boolean emailTaken(Connection c, EmailAddress address, Object exceptKey) throws SQLException {
        String sql = "SELECT 1 FROM " + table + " u WHERE " + emailMatches + (exceptKey == null ? "" : " AND u." + id + " <> ?");
        Object[] params = exceptKey == null ? new Object[] {address.canonical()} : new Object[] {address.canonical(), exceptKey};
        return !db.query(c, sql, rs -> 1, params).isEmpty();
    }

    private static Instant timestampOrEpoch(ResultSet rs) throws SQLException {
        LocalDateTime value = rs.getObject(4, LocalDateTime.class);
        return value == null ? Instant.EPOCH : value.toInstant(ZoneOffset.UTC);
    }

    /** A column written on insert, and how its value comes from the user. */
    private record Column(String name, Function<StoredUser, Object> value) {
    }

    /** Where a boolean attribute lives: a column of the application's table (when mapped), else the state table. */
    private record Flag(String column, String stateColumn) {

        boolean inTable() {
            return column != null;
        }

        String selected() {
            return inTable() ? "u." + column : "s." + stateColumn;
        }

        void addTo(List<Column> tableColumns, List<Column> stateTableColumns, Function<StoredUser, Object> value) {
            if (inTable()) {
                tableColumns.add(new Column(column, value));
            } else {
                stateTableColumns.add(new Column(stateColumn, value));
            }
        }
    }
}
