package dev.portcullis.jdbc;

import dev.portcullis.session.Sessions;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link SessionStore} on the {@code <prefix>sessions} table, shared by every node that uses the
 * same database. Sessions are keyed by token digest; the token never reaches the database.
 *
 * <p>Needs schema version 3 (the proof columns). Thread-safe; every method is one statement, so each is atomic on its own ({@code touch}
 * only moves {@code last_seen_at} forward, in its {@code WHERE} clause). Client addresses longer
 * than 255 characters are cut to 255. Fails with {@link StoreException} naming the operation and
 * the cause; instants are kept to the millisecond.
 */
public final class JdbcSessionStore implements SessionStore {

    private static final int MAX_ADDRESS = 255;
    private static final String COLUMNS = "id, user_id, created_at, last_seen_at, client_address, password_at,"
            + " second_factor_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_sessions} table; dialect detected on first use. */
    public JdbcSessionStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcSessionStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcSessionStore");
        this.table = options.table("sessions");
    }

    @Override
    public void insert(SessionRecord session) {
        Objects.requireNonNull(session, "session");
        db.run("insert", c -> db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                session.id().hex(), session.userId().value(), session.createdAt().toEpochMilli(),
                session.lastSeenAt().toEpochMilli(), truncate(session.clientAddress()),
                Jdbc.millisOrNull(session.passwordAt()), Jdbc.millisOrNull(session.secondFactorAt())));
    }

    @Override
    public Optional<SessionRecord> find(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.run("find", c -> {
            List<SessionRecord> found = query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", id.hex());
            return found.stream().findFirst();
        });
    }

    @Override
    public void touch(TokenDigest id, Instant lastSeenAt) {
        Objects.requireNonNull(id, "id");
        long millis = lastSeenAt.toEpochMilli();
        db.run("touch", c -> db.update(c, "UPDATE " + table + " SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                millis, id.hex(), millis));
    }

    @Override
    public void recordProofs(TokenDigest id, Instant passwordAt, Instant secondFactorAt) {
        Objects.requireNonNull(id, "id");
        db.run("recordProofs", c -> db.update(c, "UPDATE " + table
                        + " SET password_at = COALESCE(?, password_at), second_factor_at = COALESCE(?, second_factor_at)"
                        + " WHERE id = ?", Jdbc.millisOrNull(passwordAt), Jdbc.millisOrNull(secondFactorAt), id.hex()));
    }

    @Override
    public boolean delete(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.run("delete", c -> db.update(c, "DELETE FROM " + table + " WHERE id = ?", id.hex())) > 0;
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("deleteAllForUser", c -> db.update(c, "DELETE FROM " + table + " WHERE user_id = ?", userId.value()));
    }

    @Override
    public int deleteAllForUserExcept(UserId userId, TokenDigest keep) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(keep, "keep");
        return db.run("deleteAllForUserExcept", c -> db.update(c,
                "DELETE FROM " + table + " WHERE user_id = ? AND id <> ?", userId.value(), keep.hex()));
    }

    @Override
    public List<SessionRecord> findAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("findAllForUser", c -> query(c, "SELECT " + COLUMNS + " FROM " + table
                + " WHERE user_id = ? ORDER BY created_at DESC, id", userId.value()));
    }

    @Override
    public int deleteExpired(Instant idleCutoff, Instant absoluteCutoff) {
        return db.run("deleteExpired", c -> db.update(c,
                "DELETE FROM " + table + " WHERE last_seen_at < ? OR created_at < ?",
                idleCutoff.toEpochMilli(), absoluteCutoff.toEpochMilli()));
    }


    private List<SessionRecord> query(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                List<SessionRecord> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new SessionRecord(new TokenDigest(rs.getString(1).strip()), new UserId(rs.getString(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
                            Jdbc.optionalInstant(rs, 6).orElse(null), Jdbc.optionalInstant(rs, 7).orElse(null)));
                }
                return result;
            }
        }
    }

    private static String truncate(String address) {
        if (address.length() <= MAX_ADDRESS) {
            return address;
        }
        int end = Character.isHighSurrogate(address.charAt(MAX_ADDRESS - 1)) ? MAX_ADDRESS - 1 : MAX_ADDRESS;
        return address.substring(0, end);
    }
}
