package dev.portcullis.jdbc;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.StoredUser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What both {@link UserTable} layouts share: auth-jdbc's {@code <prefix>user_roles} table, row
 * locks, and folding the rows of a user-and-roles join into one {@link StoredUser}.
 */
final class UserRows {

    private final Jdbc db;
    private final String roles;

    UserRows(Jdbc db, JdbcOptions options) {
        this.db = db;
        this.roles = options.table("user_roles");
    }

    /** The roles table, for the join in each layout's {@code SELECT}. */
    String rolesTable() {
        return roles;
    }

    /**
     * Runs {@code sql}, which selects (id, email, password hash, creation time, verified, disabled,
     * role) with one row per role and one account's rows together, and folds the first account's
     * rows into a user; empty when there is no row.
     *
     * @param createdAt reads the creation time from column 4
     * @param verifiedWhenNull what a NULL verified flag (column 5) means
     */
    Optional<StoredUser> first(Connection c, String sql, Object param, Jdbc.Row<Instant> createdAt,
            boolean verifiedWhenNull) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return fold(rs, createdAt, verifiedWhenNull);
            }
        }
    }

    /** Runs {@code sql}, a {@code SELECT ... FOR UPDATE} of one row by {@code key}; false when there is no such row. */
    boolean lock(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    void insertRoles(Connection c, UserId id, Set<String> roleNames) throws SQLException {
        if (roleNames.isEmpty()) {
            return;
        }
        // One statement per role rather than a batch: accounts have few roles, and pgjdbc's batch
        // path trips an internal assertion when the connection dies mid-batch (with -ea).
        try (PreparedStatement ps = db.prepare(c, "INSERT INTO " + roles + " (user_id, role) VALUES (?, ?)")) {
            for (String role : roleNames) {
                ps.setString(1, id.value());
                ps.setString(2, role);
                ps.executeUpdate();
            }
        }
    }

    void deleteRoles(Connection c, UserId id) throws SQLException {
        db.update(c, "DELETE FROM " + roles + " WHERE user_id = ?", id.value());
    }

    /** An instant kept as epoch milliseconds in column 4; the epoch when NULL. */
    static Instant millisOrEpoch(ResultSet rs) throws SQLException {
        long millis = rs.getLong(4);
        return rs.wasNull() ? Instant.EPOCH : Instant.ofEpochMilli(millis);
    }

    private static Optional<StoredUser> fold(ResultSet rs, Jdbc.Row<Instant> createdAtColumn, boolean verifiedWhenNull)
            throws SQLException {
        String id = null;
        String email = null;
        String hash = null;
        Instant createdAt = null;
        boolean verified = false;
        boolean disabled = false;
        Set<String> roleNames = new HashSet<>();
        while (rs.next()) {
            String rowId = rs.getString(1);
            if (id == null) {
                id = rowId;
                email = rs.getString(2);
                hash = rs.getString(3);
                createdAt = createdAtColumn.read(rs);
                verified = flag(rs, 5, verifiedWhenNull);
                disabled = flag(rs, 6, false);
            } else if (!id.equals(rowId)) {
                break;
            }
            String role = rs.getString(7);
            if (role != null) {
                roleNames.add(role);
            }
        }
        if (id == null) {
            return Optional.empty();
        }
        String storedId = id;
        EmailAddress address = EmailAddress.parse(email).orElseThrow(() -> new StoreException(
                "JdbcUserStore: the email stored for user " + storedId + " is not a valid address", null));
        return Optional.of(new StoredUser(new UserId(id), address, new PasswordHash(hash == null ? "" : hash),
                createdAt, verified, disabled, roleNames));
    }

    private static boolean flag(ResultSet rs, int column, boolean whenNull) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? whenNull : value;
    }
}
