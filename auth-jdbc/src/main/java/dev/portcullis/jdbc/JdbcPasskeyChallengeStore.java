package dev.portcullis.jdbc;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PasskeyChallenge;
import dev.portcullis.spi.PasskeyChallengeStore;
import dev.portcullis.spi.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link PasskeyChallengeStore} on the {@code <prefix>passkey_challenges} table (schema version 5),
 * keyed by the challenge's digest. Thread-safe: {@link #consume} deletes the row and hands it to
 * exactly one of any number of racing callers (PostgreSQL {@code DELETE ... RETURNING}; elsewhere a
 * read and a delete whose count decides). Fails with {@link StoreException}.
 */
public final class JdbcPasskeyChallengeStore implements PasskeyChallengeStore {

    private static final String COLUMNS = "id, purpose, user_id, pending, expires_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_passkey_challenges} table; dialect detected on first use. */
    public JdbcPasskeyChallengeStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcPasskeyChallengeStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcPasskeyChallengeStore");
        this.table = options.table("passkey_challenges");
    }

    @Override
    public void insert(PasskeyChallenge ch) {
        Objects.requireNonNull(ch, "challenge");
        db.run("insert", c -> db.update(c, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                ch.digest().hex(), ch.purpose().name(), ch.userId().map(UserId::value).orElse(""),
                ch.pending().map(TokenDigest::hex).orElse(""), ch.expiresAt().toEpochMilli()));
    }

    @Override
    public Optional<PasskeyChallenge> consume(TokenDigest digest, Instant now) {
        Objects.requireNonNull(digest, "digest");
        return db.dialect("consume").deleteOne(db, "consume", table, COLUMNS, "id = ?", JdbcPasskeyChallengeStore::read,
                digest.hex()).filter(ch -> now.isBefore(ch.expiresAt()));
    }

    @Override
    public int deleteExpired(Instant now) {
        long millis = now.toEpochMilli();
        return db.run("deleteExpired", c -> db.update(c, "DELETE FROM " + table + " WHERE expires_at <= ?", millis));
    }

    private static PasskeyChallenge read(ResultSet rs) throws SQLException {
        String purpose = rs.getString(2);
        PasskeyChallenge.Purpose parsed;
        try {
            parsed = PasskeyChallenge.Purpose.valueOf(purpose);
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown purpose \"" + purpose + "\" in the passkey challenge table", e);
        }
        String user = rs.getString(3);
        String pending = rs.getString(4).strip();
        return new PasskeyChallenge(new TokenDigest(rs.getString(1).strip()), parsed,
                user.isEmpty() ? Optional.empty() : Optional.of(new UserId(user)),
                pending.isEmpty() ? Optional.empty() : Optional.of(new TokenDigest(pending)), Jdbc.instant(rs, 5));
    }
}
