package dev.portcullis.jdbc;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import dev.portcullis.spi.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * {@link PendingSignInStore} on the {@code <prefix>pending_sign_ins} table (schema version 3),
 * keyed by the handle's digest; the handle never reaches the database.
 *
 * <p>Thread-safe. {@link #recordAttempt} increments and reads back in one transaction (the
 * {@code UPDATE} holds the row lock until the read, so each caller reads its own count);
 * {@link #consume} hands the row to exactly one of any number of racing callers, as the one-time
 * token store does. Fails with {@link StoreException} naming the operation and the cause.
 */
public final class JdbcPendingSignInStore implements PendingSignInStore {

    private static final String COLUMNS = "id, user_id, stamp, purpose, created_at, expires_at, attempts";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_pending_sign_ins} table; dialect detected on first use. */
    public JdbcPendingSignInStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcPendingSignInStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcPendingSignInStore");
        this.table = options.table("pending_sign_ins");
    }

    @Override
    public void insert(PendingSignIn p) {
        Objects.requireNonNull(p, "pending");
        db.run("insert", c -> db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                p.id().hex(), p.userId().value(), p.stamp(), p.purpose().name(), p.createdAt().toEpochMilli(),
                p.expiresAt().toEpochMilli(), p.attempts()));
    }

    @Override
    public Optional<PendingSignIn> find(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.run("find", c -> first(db.query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?",
                JdbcPendingSignInStore::read, id.hex())));
    }

    @Override
    public OptionalInt recordAttempt(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.transaction("recordAttempt", c -> {
            if (db.update(c, "UPDATE " + table + " SET attempts = attempts + 1 WHERE id = ?", id.hex()) != 1) {
                return OptionalInt.empty();
            }
            List<Integer> count = db.query(c, "SELECT attempts FROM " + table + " WHERE id = ?", rs -> rs.getInt(1),
                    id.hex());
            return count.isEmpty() ? OptionalInt.empty() : OptionalInt.of(count.get(0));
        });
    }

    @Override
    public Optional<PendingSignIn> consume(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.dialect("consume").deleteOne(db, "consume", table, COLUMNS, "id = ?", JdbcPendingSignInStore::read,
                id.hex());
    }

    @Override
    public int deleteExpired(Instant now) {
        long millis = now.toEpochMilli();
        return db.run("deleteExpired", c -> db.update(c, "DELETE FROM " + table + " WHERE expires_at < ?", millis));
    }

    private static Optional<PendingSignIn> first(List<PendingSignIn> rows) {
        return rows.stream().findFirst();
    }

    private static PendingSignIn read(ResultSet rs) throws SQLException {
        String purpose = rs.getString(4);
        PendingSignIn.Purpose parsed;
        try {
            parsed = PendingSignIn.Purpose.valueOf(purpose);
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown purpose \"" + purpose + "\" in the pending sign-in table", e);
        }
        return new PendingSignIn(new TokenDigest(rs.getString(1).strip()), new UserId(rs.getString(2)), rs.getString(3),
                parsed, Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), rs.getInt(7));
    }
}
