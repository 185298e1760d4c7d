package dev.portcullis.jdbc;

import dev.portcullis.token.Tokens;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RefreshTokenRecord;
import dev.portcullis.spi.RefreshTokenStore;
import dev.portcullis.spi.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link RefreshTokenStore} on the {@code <prefix>refresh_tokens} table (schema version 2), shared
 * by every node that uses the same database. Tokens are keyed by digest; the token never reaches
 * the database.
 *
 * <p>Thread-safe; every method is one statement, so each is atomic on its own, also across nodes:
 * {@link #markUsed} is {@code UPDATE ... WHERE id = ? AND used_at IS NULL}, which exactly one of
 * any number of racing callers wins, and {@link #deleteFamily} removes every row committed before
 * it starts. Fails with {@link StoreException} naming the operation and the cause; instants are
 * kept to the millisecond.
 */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {

    private static final String COLUMNS = "id, user_id, family_id, authenticated_at, issued_at, expires_at, used_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_refresh_tokens} table; dialect detected on first use. */
    public JdbcRefreshTokenStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcRefreshTokenStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcRefreshTokenStore");
        this.table = options.table("refresh_tokens");
    }

    @Override
    public void insert(RefreshTokenRecord token) {
        Objects.requireNonNull(token, "token");
        db.run("insert", c -> db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                token.id().hex(), token.userId().value(), token.familyId(), token.authenticatedAt().toEpochMilli(),
                token.issuedAt().toEpochMilli(), token.expiresAt().toEpochMilli(),
                Jdbc.millisOrNull(token.usedAt().orElse(null))));
    }

    @Override
    public Optional<RefreshTokenRecord> find(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.run("find", c -> db.query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?",
                JdbcRefreshTokenStore::read, id.hex()).stream().findFirst());
    }

    @Override
    public boolean markUsed(TokenDigest id, Instant usedAt) {
        Objects.requireNonNull(id, "id");
        long millis = usedAt.toEpochMilli();
        return db.run("markUsed", c -> db.update(c,
                "UPDATE " + table + " SET used_at = ? WHERE id = ? AND used_at IS NULL", millis, id.hex())) == 1;
    }

    @Override
    public int deleteFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return db.run("deleteFamily", c -> db.update(c, "DELETE FROM " + table + " WHERE family_id = ?", familyId));
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("deleteAllForUser", c -> db.update(c, "DELETE FROM " + table + " WHERE user_id = ?", userId.value()));
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        long millis = cutoff.toEpochMilli();
        return db.run("deleteExpired", c -> db.update(c, "DELETE FROM " + table + " WHERE expires_at < ?", millis));
    }

    private static RefreshTokenRecord read(ResultSet rs) throws SQLException {
        return new RefreshTokenRecord(new TokenDigest(rs.getString(1).strip()), new UserId(rs.getString(2)), rs.getString(3),
                Jdbc.instant(rs, 4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), Jdbc.optionalInstant(rs, 7));
    }
}
