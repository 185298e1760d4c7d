package dev.portcullis.jdbc;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.IdentityRecord;
import dev.portcullis.spi.IdentityStore;
import dev.portcullis.spi.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link IdentityStore} on the {@code <prefix>identities} table (schema version 4), keyed on
 * {@code (issuer, subject)}: the primary key makes a link unique across every node sharing the
 * database, so of racing inserts of one identity exactly one succeeds.
 *
 * <p>{@link #delete} with {@code keepLast} runs in one transaction that first locks every identity
 * row of the account ({@code SELECT ... FOR UPDATE}) and deletes only when another remains, so two
 * racing removals of an account's last two identities cannot both succeed. Thread-safe. Fails
 * with {@link StoreException} naming the operation and the cause.
 */
public final class JdbcIdentityStore implements IdentityStore {

    private static final String COLUMNS = "issuer, subject, user_id, email, linked_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_identities} table; dialect detected on first use. */
    public JdbcIdentityStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcIdentityStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcIdentityStore");
        this.table = options.table("identities");
    }

    @Override
    public Optional<IdentityRecord> find(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return db.run("find", c -> db.query(c, "SELECT " + COLUMNS + " FROM " + table
                + " WHERE issuer = ? AND subject = ?", JdbcIdentityStore::row, issuer, subject).stream().findFirst());
    }

    @Override
    public List<IdentityRecord> findAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("findAllForUser", c -> db.query(c, "SELECT " + COLUMNS + " FROM " + table
                + " WHERE user_id = ? ORDER BY linked_at, issuer, subject", JdbcIdentityStore::row, userId.value()));
    }

    @Override
    public boolean insert(IdentityRecord identity) {
        Objects.requireNonNull(identity, "identity");
        return db.transaction("insert", c -> {
            try (PreparedStatement ps = db.prepare(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, identity.issuer());
                ps.setString(2, identity.subject());
                ps.setString(3, identity.userId().value());
                if (identity.email().isPresent()) {
                    ps.setString(4, identity.email().get());
                } else {
                    ps.setNull(4, Types.VARCHAR);
                }
                ps.setLong(5, identity.linkedAt().toEpochMilli());
                ps.executeUpdate();
            }
            return true;
        }, () -> false);
    }

    @Override
    public boolean delete(UserId userId, String issuer, String subject, boolean keepLast) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        String delete = "DELETE FROM " + table + " WHERE issuer = ? AND subject = ? AND user_id = ?";
        if (!keepLast) {
            return db.run("delete", c -> db.update(c, delete, issuer, subject, userId.value()) == 1);
        }
        return db.transaction("delete", c -> {
            List<String> held = db.query(c, "SELECT subject FROM " + table + " WHERE user_id = ? FOR UPDATE",
                    rs -> rs.getString(1), userId.value());
            return held.size() > 1 && db.update(c, delete, issuer, subject, userId.value()) == 1;
        });
    }

    private static IdentityRecord row(ResultSet rs) throws SQLException {
        return new IdentityRecord(rs.getString(1), rs.getString(2), new UserId(rs.getString(3)),
                Optional.ofNullable(rs.getString(4)), Jdbc.instant(rs, 5));
    }
}
