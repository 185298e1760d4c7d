package dev.portcullis.jdbc;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoredUser;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * auth-jdbc's own {@code <prefix>users} table: a column for every attribute, text ids, and one
 * account per address from the unique index on {@code email_canonical} (of racing inserts or
 * email changes the database lets one win; the others hit the index and return false). Reads are
 * one statement, a join with the roles.
 */
final class OwnUserTable implements UserTable {

    private static final String COLUMNS = "id, email, email_canonical, password_hash, created_at, email_verified, disabled";

    private final Jdbc db;
    private final UserRows rows;
    private final String table;
    private final String select;

    OwnUserTable(Jdbc db, JdbcOptions options) {
        this.db = db;
        this.rows = new UserRows(db, options);
        this.table = options.table("users");
        this.select = "SELECT u.id, u.email, u.password_hash, u.created_at, u.email_verified, u.disabled, r.role FROM "
                + table + " u LEFT JOIN " + rows.rolesTable() + " r ON r.user_id = u.id";
    }

    @Override
    public Optional<StoredUser> findByEmail(EmailAddress email) {
        return db.run("findByEmail", c -> rows.first(c, select + " WHERE u.email_canonical = ?", email.canonical(),
                UserRows::millisOrEpoch, false));
    }

    @Override
    public Optional<StoredUser> findById(UserId id) {
        return db.run("findById", c -> rows.first(c, select + " WHERE u.id = ?", id.value(), UserRows::millisOrEpoch, false));
    }

    @Override
    public boolean insert(StoredUser user) {
        return db.transaction("insert", c -> {
            db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", user.id().value(),
                    user.email().display(), user.email().canonical(), user.passwordHash().encoded(),
                    user.createdAt().toEpochMilli(), user.emailVerified(), user.disabled());
            rows.insertRoles(c, user.id(), user.roles());
            return true;
        }, () -> false);
    }

    @Override
    public void updatePasswordHash(UserId id, PasswordHash newHash) {
        db.run("updatePasswordHash", c -> db.update(c, "UPDATE " + table + " SET password_hash = ? WHERE id = ?",
                newHash.encoded(), id.value()));
    }

    @Override
    public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
        return db.transaction("updateEmail", c -> {
            if (!lock(c, id)) {
                return false;
            }
            db.update(c, "UPDATE " + table + " SET email = ?, email_canonical = ?, email_verified = ? WHERE id = ?",
                    newEmail.display(), newEmail.canonical(), verified, id.value());
            return true;
        }, () -> false);
    }

    @Override
    public void markEmailVerified(UserId id) {
        db.run("markEmailVerified", c -> db.update(c, "UPDATE " + table + " SET email_verified = ? WHERE id = ?",
                true, id.value()));
    }

    @Override
    public void setDisabled(UserId id, boolean disabled) {
        db.run("setDisabled", c -> db.update(c, "UPDATE " + table + " SET disabled = ? WHERE id = ?",
                disabled, id.value()));
    }

    @Override
    public void setRoles(UserId id, Set<String> roles) {
        db.transaction("setRoles", c -> {
            if (lock(c, id)) {
                rows.deleteRoles(c, id);
                rows.insertRoles(c, id, roles);
            }
            return null;
        });
    }

    private boolean lock(Connection c, UserId id) throws SQLException {
        return rows.lock(c, "SELECT id FROM " + table + " WHERE id = ? FOR UPDATE", id.value());
    }
}
