package dev.portcullis.jdbc;

import dev.portcullis.token.Tokens;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.OneTimeTokenRecord;
import dev.portcullis.spi.OneTimeTokenStore;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.TokenPurpose;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link OneTimeTokenStore} on the {@code <prefix>one_time_tokens} table (schema version 2),
 * shared by every node that uses the same database. Tokens are keyed by digest; the token never
 * reaches the database.
 *
 * <p>Thread-safe. {@link #consume} hands a token to exactly one of any number of racing callers,
 * also across nodes (on PostgreSQL one {@code DELETE ... RETURNING};
 * on H2 and MariaDB/MySQL the row is read and deleted in one transaction, and only the caller whose
 * {@code DELETE} removed it gets the token — the others wait on the row lock and then delete
 * nothing). Every other method is one statement. Fails with {@link StoreException} naming
 * the operation and the cause; instants are kept to the millisecond.
 */
public final class JdbcOneTimeTokenStore implements OneTimeTokenStore {

    private static final String COLUMNS = "id, user_id, purpose, created_at, expires_at, binding, payload";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_one_time_tokens} table; dialect detected on first use. */
    public JdbcOneTimeTokenStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcOneTimeTokenStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcOneTimeTokenStore");
        this.table = options.table("one_time_tokens");
    }

    @Override
    public void insert(OneTimeTokenRecord token) {
        Objects.requireNonNull(token, "token");
        db.run("insert", c -> db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                token.id().hex(), token.userId().value(), token.purpose().name(), token.createdAt().toEpochMilli(),
                token.expiresAt().toEpochMilli(), token.binding(), token.payload()));
    }

    @Override
    public Optional<OneTimeTokenRecord> find(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return db.run("find", c -> first(db.query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?",
                JdbcOneTimeTokenStore::read, id.hex())));
    }

    @Override
    public Optional<OneTimeTokenRecord> consume(TokenDigest id, TokenPurpose purpose) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        return db.dialect("consume").deleteOne(db, "consume", table, COLUMNS, "id = ? AND purpose = ?",
                JdbcOneTimeTokenStore::read, id.hex(), purpose.name());
    }

    @Override
    public int deleteAllForUser(UserId userId, TokenPurpose purpose) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(purpose, "purpose");
        return db.run("deleteAllForUser", c -> db.update(c, "DELETE FROM " + table + " WHERE user_id = ? AND purpose = ?",
                userId.value(), purpose.name()));
    }

    @Override
    public int deleteExpired(Instant now) {
        long millis = now.toEpochMilli();
        return db.run("deleteExpired", c -> db.update(c, "DELETE FROM " + table + " WHERE expires_at < ?", millis));
    }

    private static Optional<OneTimeTokenRecord> first(List<OneTimeTokenRecord> rows) {
        return rows.stream().findFirst();
    }

    private static OneTimeTokenRecord read(ResultSet rs) throws SQLException {
        String purpose = rs.getString(3);
        TokenPurpose parsed;
        try {
            parsed = TokenPurpose.valueOf(purpose);
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown token purpose \"" + purpose + "\" in the one-time token table", e);
        }
        return new OneTimeTokenRecord(new TokenDigest(rs.getString(1).strip()), new UserId(rs.getString(2)), parsed,
                Jdbc.instant(rs, 4), Jdbc.instant(rs, 5), rs.getString(6), rs.getString(7));
    }
}
