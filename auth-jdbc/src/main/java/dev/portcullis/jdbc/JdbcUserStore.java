package dev.portcullis.jdbc;

import dev.portcullis.Portcullis;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link UserStore} over a {@link DataSource}: by default on auth-jdbc's own
 * {@code <prefix>users} table, or on an application's existing table through a
 * {@link UserTableMapping} ({@link #mapped(DataSource, UserTableMapping, JdbcOptions)}).
 *
 * <p>Thread-safe; holds no connection between calls (borrow from a pool, such as HikariCP).
 * Email uniqueness on the own table comes from the unique index on {@code email_canonical}: of
 * racing inserts across any number of nodes exactly one returns {@code true}, the others
 * {@code false}. On a mapped table, inserts and email changes additionally take the
 * {@code <prefix>locks} row {@code user-email} ({@code SELECT ... FOR UPDATE}), so uniqueness
 * holds for writes made through Portcullis even without a suitable index. Multi-statement changes
 * run in one transaction. Every failure of the database is a {@link StoreException} naming the
 * operation and the cause; nothing is half-written then.
 */
public final class JdbcUserStore implements UserStore {

    private static final String EMAIL_LOCK = "user-email";

    private final Jdbc db;
    private final UserTableMapping mapping;
    private volatile Sql sql;

    /** The own {@code portcullis_users} table; dialect detected on first use. */
    public JdbcUserStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    /** The own {@code <prefix>users} table. */
    public JdbcUserStore(DataSource dataSource, JdbcOptions options) {
        this(dataSource, options, null);
    }

    private JdbcUserStore(DataSource dataSource, JdbcOptions options, UserTableMapping mapping) {
        this.db = new Jdbc(dataSource, options, "JdbcUserStore");
        this.mapping = mapping;
    }

    /**
     * A store on the application's own user table. auth-jdbc's tables (roles, state, locks) must
     * exist as well, under {@code options}' prefix.
     */
    public static JdbcUserStore mapped(DataSource dataSource, UserTableMapping mapping, JdbcOptions options) {
        return new JdbcUserStore(dataSource, options, Objects.requireNonNull(mapping, "mapping"));
    }

    @Override
    public Optional<StoredUser> findByEmail(EmailAddress email) {
        Sql q = sql("findByEmail");
        return db.run("findByEmail", c -> {
            try (PreparedStatement ps = db.prepare(c, q.select + " WHERE " + q.emailMatches + " ORDER BY u." + q.id)) {
                ps.setString(1, email.canonical());
                return read(q, ps);
            }
        });
    }

    @Override
    public Optional<StoredUser> findById(UserId id) {
        Sql q = sql("findById");
        Optional<Object> key = q.key(id);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        return db.run("findById", c -> {
            try (PreparedStatement ps = db.prepare(c, q.select + " WHERE u." + q.id + " = ?")) {
                ps.setObject(1, key.get());
                return read(q, ps);
            }
        });
    }

    @Override
    public boolean insert(StoredUser user) {
        Sql q = sql("insert");
        if (q.numericIds) {
            throw new UnsupportedOperationException("JdbcUserStore.insert: table " + q.table + " has numeric ids that "
                    + "the application assigns, so Portcullis cannot register accounts in it; register through the "
                    + "application, or widen the id column to VARCHAR(64) and drop UserTableMapping.numericIds()");
        }
        return db.transaction("insert", c -> {
            if (q.mapped) {
                lockEmails(c, q);
                if (emailTaken(c, q, user.email(), null)) {
                    return false;
                }
            }
            List<String> columns = new ArrayList<>(List.of(q.id, q.email, q.password));
            List<Object> values = new ArrayList<>(List.of(user.id().value(), user.email().display(),
                    user.passwordHash().encoded()));
            if (q.canonical != null) {
                columns.add(q.canonical);
                values.add(user.email().canonical());
            }
            if (q.createdAt != null) {
                columns.add(q.createdAt);
                values.add(q.mapped ? LocalDateTime.ofInstant(user.createdAt(), ZoneOffset.UTC) : user.createdAt().toEpochMilli());
            }
            if (q.verified != null) {
                columns.add(q.verified);
                values.add(user.emailVerified());
            }
            if (q.disabled != null) {
                columns.add(q.disabled);
                values.add(user.disabled());
            }
            String sql = "INSERT INTO " + q.table + " (" + String.join(", ", columns) + ") VALUES ("
                    + "?, ".repeat(columns.size() - 1) + "?)";
            try (PreparedStatement ps = db.prepare(c, sql)) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 1, values.get(i));
                }
                ps.executeUpdate();
            }
            if (q.mapped) {
                // Leftovers of an account the application deleted must not attach to this one.
                db.update(c, "DELETE FROM " + q.roles + " WHERE user_id = ?", user.id().value());
                db.update(c, "DELETE FROM " + q.state + " WHERE user_id = ?", user.id().value());
            }
            if (q.usesState) {
                try (PreparedStatement ps = db.prepare(c, "INSERT INTO " + q.state
                        + " (user_id, created_at, email_verified, disabled) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, user.id().value());
                    setNullable(ps, 2, q.createdAt == null ? user.createdAt().toEpochMilli() : null, Types.BIGINT);
                    setNullable(ps, 3, q.verified == null ? user.emailVerified() : null, Types.BOOLEAN);
                    setNullable(ps, 4, q.disabled == null ? user.disabled() : null, Types.BOOLEAN);
                    ps.executeUpdate();
                }
            }
            insertRoles(c, q, user.id(), user.roles());
            return true;
        }, () -> false);
    }

    @Override
    public void updatePasswordHash(UserId id, PasswordHash newHash) {
        Objects.requireNonNull(newHash, "newHash");
        Sql q = sql("updatePasswordHash");
        q.key(id).ifPresent(key -> db.run("updatePasswordHash", c ->
                db.update(c, "UPDATE " + q.table + " SET " + q.password + " = ? WHERE " + q.id + " = ?",
                        newHash.encoded(), key)));
    }

    @Override
    public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
        Objects.requireNonNull(newEmail, "newEmail");
        Sql q = sql("updateEmail");
        Optional<Object> key = q.key(id);
        if (key.isEmpty()) {
            return false;
        }
        return db.transaction("updateEmail", c -> {
            if (q.mapped) {
                lockEmails(c, q);
            }
            if (!lockUser(c, q, key.get())) {
                return false;
            }
            if (q.mapped && emailTaken(c, q, newEmail, key.get())) {
                return false;
            }
            List<String> sets = new ArrayList<>(List.of(q.email + " = ?"));
            List<Object> values = new ArrayList<>(List.of(newEmail.display()));
            if (q.canonical != null) {
                sets.add(q.canonical + " = ?");
                values.add(newEmail.canonical());
            }
            if (q.verified != null) {
                sets.add(q.verified + " = ?");
                values.add(verified);
            }
            values.add(key.get());
            db.update(c, "UPDATE " + q.table + " SET " + String.join(", ", sets) + " WHERE " + q.id + " = ?", values.toArray());
            if (q.verified == null) {
                setState(c, q, id, "email_verified", verified);
            }
            return true;
        }, () -> false);
    }

    @Override
    public void markEmailVerified(UserId id) {
        setFlag("markEmailVerified", id, true, "email_verified", true);
    }

    @Override
    public void setDisabled(UserId id, boolean disabled) {
        setFlag("setDisabled", id, false, "disabled", disabled);
    }

    @Override
    public void setRoles(UserId id, Set<String> roles) {
        Set<String> copy = Set.copyOf(roles);
        Sql q = sql("setRoles");
        Optional<Object> key = q.key(id);
        if (key.isEmpty()) {
            return;
        }
        db.transaction("setRoles", c -> {
            if (lockUser(c, q, key.get())) {
                db.update(c, "DELETE FROM " + q.roles + " WHERE user_id = ?", id.value());
                insertRoles(c, q, id, copy);
            }
            return null;
        });
    }

    // ---- internals ---------------------------------------------------------------------------

    private void setFlag(String operation, UserId id, boolean verifiedFlag, String stateColumn, boolean value) {
        Sql q = sql(operation);
        String column = verifiedFlag ? q.verified : q.disabled;
        Optional<Object> key = q.key(id);
        if (key.isEmpty()) {
            return;
        }
        if (column != null) {
            db.run(operation, c -> db.update(c, "UPDATE " + q.table + " SET " + column + " = ? WHERE " + q.id + " = ?",
                    value, key.get()));
            return;
        }
        db.transaction(operation, c -> {
            if (lockUser(c, q, key.get())) {
                setState(c, q, id, stateColumn, value);
            }
            return null;
        });
    }

    /** Upserts one state column; the caller holds the user's row lock, so no one races this. */
    private void setState(Connection c, Sql q, UserId id, String column, boolean value) throws SQLException {
        if (db.update(c, "UPDATE " + q.state + " SET " + column + " = ? WHERE user_id = ?", value, id.value()) == 0) {
            db.update(c, "INSERT INTO " + q.state + " (user_id, " + column + ") VALUES (?, ?)", id.value(), value);
        }
    }

    private boolean lockUser(Connection c, Sql q, Object key) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "SELECT " + q.id + " FROM " + q.table + " WHERE " + q.id + " = ? FOR UPDATE")) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void lockEmails(Connection c, Sql q) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "SELECT name FROM " + q.locks + " WHERE name = ? FOR UPDATE")) {
            ps.setString(1, EMAIL_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("lock row '" + EMAIL_LOCK + "' is missing from " + q.locks
                            + ": install the schema with JdbcSchema.migrate() or the shipped V1 SQL file");
                }
            }
        }
    }

    private boolean emailTaken(Connection c, Sql q, EmailAddress email, Object exceptKey) throws SQLException {
        String sql = "SELECT 1 FROM " + q.table + " u WHERE " + q.emailMatches + (exceptKey == null ? "" : " AND u." + q.id + " <> ?");
        try (PreparedStatement ps = db.prepare(c, sql)) {
            ps.setString(1, email.canonical());
            if (exceptKey != null) {
                ps.setObject(2, exceptKey);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void insertRoles(Connection c, Sql q, UserId id, Set<String> roles) throws SQLException {
        if (roles.isEmpty()) {
            return;
        }
        // One statement per role rather than a batch: accounts have few roles, and pgjdbc's batch
        // path trips an internal assertion when the connection dies mid-batch (with -ea).
        try (PreparedStatement ps = db.prepare(c, "INSERT INTO " + q.roles + " (user_id, role) VALUES (?, ?)")) {
            for (String role : roles) {
                ps.setString(1, id.value());
                ps.setString(2, role);
                ps.executeUpdate();
            }
        }
    }


    private static void setNullable(PreparedStatement ps, int index, Object value, int type) throws SQLException {
        if (value == null) {
            ps.setNull(index, type);
        } else {
            ps.setObject(index, value);
        }
    }

    /** Reads rows of (user columns, role) for one account; several accounts match only on mapped tables with duplicate addresses. */
    private Optional<StoredUser> read(Sql q, PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            String id = null;
            String email = null;
            String hash = null;
            Instant createdAt = null;
            boolean verified = false;
            boolean disabled = false;
            Set<String> roles = new HashSet<>();
            while (rs.next()) {
                String rowId = rs.getString(1);
                if (id == null) {
                    id = rowId;
                    email = rs.getString(2);
                    hash = rs.getString(3);
                    createdAt = q.readCreatedAt(rs);
                    verified = readFlag(rs, 5, q.verified == null && q.mapped ? mapping.existingUsersVerified() : false);
                    disabled = readFlag(rs, 6, false);
                } else if (!id.equals(rowId)) {
                    break;
                }
                String role = rs.getString(7);
                if (role != null) {
                    roles.add(role);
                }
            }
            if (id == null) {
                return Optional.empty();
            }
            String storedId = id;
            EmailAddress address = EmailAddress.parse(email).orElseThrow(() -> new StoreException(
                    "JdbcUserStore: the email stored for user " + storedId + " is not a valid address", null));
            return Optional.of(new StoredUser(new UserId(id), address, new PasswordHash(hash == null ? "" : hash),
                    createdAt, verified, disabled, roles));
        }
    }

    private static boolean readFlag(ResultSet rs, int column, boolean whenNull) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? whenNull : value;
    }

    /** The statements, built on first use; {@code operation} names a failure to reach the database then. */
    private Sql sql(String operation) {
        Sql s = sql;
        if (s == null) {
            s = new Sql(db.dialect(operation), db.options(), mapping);
            sql = s;
        }
        return s;
    }

    /** The statements for one dialect and table layout, built once. */
    private static final class Sql {
        final boolean mapped;
        final boolean numericIds;
        final String table;
        final String id;
        final String email;
        final String canonical;
        final String password;
        final String createdAt;
        final String verified;
        final String disabled;
        final boolean usesState;
        final String roles;
        final String state;
        final String locks;
        final String emailMatches;
        final String select;

        Sql(JdbcDialect dialect, JdbcOptions options, UserTableMapping m) {
            roles = options.table("user_roles");
            state = options.table("user_state");
            locks = options.table("locks");
            mapped = m != null;
            if (m == null) {
                numericIds = false;
                table = options.table("users");
                id = "id";
                email = "email";
                canonical = "email_canonical";
                password = "password_hash";
                createdAt = "created_at";
                verified = "email_verified";
                disabled = "disabled";
            } else {
                numericIds = m.numericIds();
                table = dialect.quote(m.table());
                id = dialect.quote(m.idColumn());
                email = dialect.quote(m.emailColumn());
                canonical = m.canonicalEmailColumn().map(dialect::quote).orElse(null);
                password = dialect.quote(m.passwordHashColumn());
                createdAt = m.createdAtColumn().map(dialect::quote).orElse(null);
                verified = m.emailVerifiedColumn().map(dialect::quote).orElse(null);
                disabled = m.disabledColumn().map(dialect::quote).orElse(null);
            }
            usesState = createdAt == null || verified == null || disabled == null;
            emailMatches = canonical != null ? "u." + canonical + " = ?" : "LOWER(u." + email + ") = ?";
            String idText = numericIds ? dialect.castToText("u." + id) : "u." + id;
            select = "SELECT u." + id + ", u." + email + ", u." + password + ", "
                    + (createdAt != null ? "u." + createdAt : "s.created_at") + ", "
                    + (verified != null ? "u." + verified : "s.email_verified") + ", "
                    + (disabled != null ? "u." + disabled : "s.disabled") + ", r.role FROM " + table + " u"
                    + (usesState ? " LEFT JOIN " + state + " s ON s.user_id = " + idText : "")
                    + " LEFT JOIN " + roles + " r ON r.user_id = " + idText;
        }

        /** The id as the id column's type; empty when it cannot name a row (e.g. "abc" for an integer key). */
        Optional<Object> key(UserId userId) {
            Objects.requireNonNull(userId, "id");
            if (!numericIds) {
                return Optional.of(userId.value());
            }
            try {
                return Optional.of(Long.parseLong(userId.value()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        Instant readCreatedAt(ResultSet rs) throws SQLException {
            if (mapped && createdAt != null) {
                LocalDateTime value = rs.getObject(4, LocalDateTime.class);
                return value == null ? Instant.EPOCH : value.toInstant(ZoneOffset.UTC);
            }
            long millis = rs.getLong(4);
            return rs.wasNull() ? Instant.EPOCH : Instant.ofEpochMilli(millis);
        }
    }
}
