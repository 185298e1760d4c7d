package dev.portcullis.jdbc;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import dev.portcullis.spi.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link RememberMeStore} on the {@code <prefix>remember_me} table (schema version 2), shared by
 * every node that uses the same database. Rows are keyed by the public selector and hold only the
 * SHA-256 of the validator.
 *
 * <p>Thread-safe; every method is one statement, so each is atomic on its own, also across nodes:
 * {@link #markReplaced} is {@code UPDATE ... WHERE selector = ? AND replaced_at IS NULL}, which
 * the database lets exactly one of any number of racing callers win. Fails with
 * {@link StoreException} naming the operation and the cause; instants are kept to the millisecond.
 */
public final class JdbcRememberMeStore implements RememberMeStore {

    private static final String COLUMNS = "selector, validator_hash, user_id, series_id, created_at, expires_at, replaced_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_remember_me} table; dialect detected on first use. */
    public JdbcRememberMeStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcRememberMeStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcRememberMeStore");
        this.table = options.table("remember_me");
    }

    @Override
    public void insert(RememberMeRecord token) {
        Objects.requireNonNull(token, "token");
        db.run("insert", c -> db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                token.selector(), token.validatorHash().hex(), token.userId().value(), token.seriesId(),
                token.createdAt().toEpochMilli(), token.expiresAt().toEpochMilli(), Jdbc.millisOrNull(token.replacedAt())));
    }

    @Override
    public Optional<RememberMeRecord> find(String selector) {
        Objects.requireNonNull(selector, "selector");
        return db.run("find", c -> db.query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE selector = ?",
                JdbcRememberMeStore::read, selector).stream().findFirst());
    }

    @Override
    public boolean markReplaced(String selector, Instant at) {
        Objects.requireNonNull(selector, "selector");
        long millis = at.toEpochMilli();
        return db.run("markReplaced", c -> db.update(c,
                "UPDATE " + table + " SET replaced_at = ? WHERE selector = ? AND replaced_at IS NULL", millis, selector)) == 1;
    }

    @Override
    public int deleteSeries(String seriesId) {
        Objects.requireNonNull(seriesId, "seriesId");
        return db.run("deleteSeries", c -> db.update(c, "DELETE FROM " + table + " WHERE series_id = ?", seriesId));
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("deleteAllForUser", c -> db.update(c, "DELETE FROM " + table + " WHERE user_id = ?", userId.value()));
    }

    @Override
    public int deleteExpired(Instant now) {
        long millis = now.toEpochMilli();
        return db.run("deleteExpired", c -> db.update(c, "DELETE FROM " + table + " WHERE expires_at < ?", millis));
    }

    private static RememberMeRecord read(ResultSet rs) throws SQLException {
        return new RememberMeRecord(rs.getString(1), new TokenDigest(rs.getString(2).strip()), new UserId(rs.getString(3)),
                rs.getString(4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), Jdbc.optionalInstant(rs, 7).orElse(null));
    }
}
