package dev.portcullis.jdbc;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
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
 * ({@link UserTableMapping#numericIds()}) are found and updated as text but cannot be inserted.
 */
final class MappedUserTable implements UserTable {

    private static final String EMAIL_LOCK = "user-email";

    private final Jdbc db;
    private final UserRows rows;
    private final UserTableMapping mapping;
    private final String table;
    private final String id;
    private final String email;
    private final String canonical;
    private final String password;
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
        this.state = options.table("user_state");
        this.locks = options.table("locks");
        this.verified = new Flag(mapping.emailVerifiedColumn().map(dialect::quote).orElse(null), "email_verified");
        this.disabled = new Flag(mapping.disabledColumn().map(dialect::quote).orElse(null), "disabled");
        Optional<String> createdAtColumn = mapping.createdAtColumn().map(dialect::quote);
        this.password = dialect.quote(mapping.passwordHashColumn());

        columns.add(new Column(id, u -> u.id().value()));
        columns.add(new Column(email, u -> u.email().display()));
        columns.add(new Column(password, u -> u.passwordHash().encoded()));
        stateColumns.add(new Column("user_id", u -> u.id().value()));
        if (canonical != null) {
            columns.add(new Column(canonical, u -> u.email().canonical()));
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
        return db.run("findByEmail", c -> rows.first(c, select + " WHERE " + emailMatches + " ORDER BY u." + id,
                address.canonical(), createdAt, verifiedWhenNull()));
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
        if (mapping.numericIds()) {
            throw new UnsupportedOperationException("JdbcUserStore.insert: table " + table + " has numeric ids that "
                    + "the application assigns, so Portcullis cannot register accounts in it; register through the "
                    + "application, or widen the id column to VARCHAR(64) and drop UserTableMapping.numericIds()");
        }
        return db.transaction("insert", c -> {
            lockEmails(c);
            if (emailTaken(c, user.email(), null)) {
                return false;
            }
            insertRow(c, table, columns, user);
            // Leftovers of an account the application deleted must not attach to this one.
            rows.deleteRoles(c, user.id());
            db.update(c, "DELETE FROM " + state + " WHERE user_id = ?", user.id().value());
            if (usesState()) {
                insertRow(c, state, stateColumns, user);
            }
            rows.insertRoles(c, user.id(), user.roles());
            return true;
        }, () -> false);
    }

    @Override
    public void updatePasswordHash(UserId userId, PasswordHash newHash) {
        key(userId).ifPresent(key -> db.run("updatePasswordHash", c -> db.update(c,
                "UPDATE " + table + " SET " + password + " = ? WHERE " + id + " = ?", newHash.encoded(), key)));
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
            if (canonical != null) {
                sets.add(canonical + " = ?");
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
