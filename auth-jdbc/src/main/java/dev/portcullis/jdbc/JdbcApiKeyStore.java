package dev.portcullis.jdbc;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link ApiKeyStore} on the {@code <prefix>api_keys} table and its child
 * {@code <prefix>api_key_scopes} (schema version 2), shared by every node that uses the same
 * database. Keys are looked up by digest; the key itself never reaches the database.
 *
 * <p>Thread-safe. {@link #insert} writes the key and its scopes in one transaction; reads fetch a
 * key with its scopes in one statement; deleting a key deletes its scopes through the foreign key
 * ({@code ON DELETE CASCADE}), in the same statement. {@link #touch} moves {@code last_used_at}
 * forward only, in its {@code WHERE} clause, and being an {@code UPDATE} it cannot bring back a
 * key that a racing delete removed. Scope names are at most 255 characters. Fails with
 * {@link StoreException} naming the operation and the cause; instants are kept to the millisecond.
 */
public final class JdbcApiKeyStore implements ApiKeyStore {

    private static final String COLUMNS = "k.digest, k.id, k.user_id, k.name, k.created_at, k.expires_at, k.last_used_at, s.scope";

    private final Jdbc db;
    private final String table;
    private final String scopes;
    private final String select;

    /** The {@code portcullis_api_keys} and {@code portcullis_api_key_scopes} tables; dialect detected on first use. */
    public JdbcApiKeyStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcApiKeyStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcApiKeyStore");
        this.table = options.table("api_keys");
        this.scopes = options.table("api_key_scopes");
        this.select = "SELECT " + COLUMNS + " FROM " + table + " k LEFT JOIN " + scopes + " s ON s.key_digest = k.digest";
    }

    @Override
    public void insert(ApiKeyRecord key) {
        Objects.requireNonNull(key, "key");
        db.transaction("insert", c -> {
            db.update(c, "INSERT INTO " + table + " (digest, id, user_id, name, created_at, expires_at, last_used_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    key.digest().hex(), key.id(), key.userId().value(), key.name(), key.createdAt().toEpochMilli(),
                    key.expiresAt().toEpochMilli(), Jdbc.millisOrNull(key.lastUsedAt().orElse(null)));
            insertScopes(c, key);
            return null;
        });
    }

    @Override
    public Optional<ApiKeyRecord> findByDigest(TokenDigest digest) {
        Objects.requireNonNull(digest, "digest");
        return db.run("findByDigest", c -> keys(c, select + " WHERE k.digest = ?", digest.hex()).stream().findFirst());
    }

    @Override
    public List<ApiKeyRecord> findAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("findAllForUser", c -> keys(c, select + " WHERE k.user_id = ? ORDER BY k.created_at DESC, k.digest",
                userId.value()));
    }

    @Override
    public void touch(TokenDigest digest, Instant lastUsedAt) {
        Objects.requireNonNull(digest, "digest");
        long millis = lastUsedAt.toEpochMilli();
        db.run("touch", c -> db.update(c, "UPDATE " + table + " SET last_used_at = ?"
                + " WHERE digest = ? AND (last_used_at IS NULL OR last_used_at < ?)", millis, digest.hex(), millis));
    }

    @Override
    public boolean delete(UserId userId, String id) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(id, "id");
        return db.run("delete", c -> db.update(c, "DELETE FROM " + table + " WHERE user_id = ? AND id = ?",
                userId.value(), id)) > 0;
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

    private void insertScopes(Connection c, ApiKeyRecord key) throws SQLException {
        // One statement per scope rather than a batch, as for roles: keys have few scopes, and
        // pgjdbc's batch path trips an internal assertion when the connection dies mid-batch.
        for (String scope : key.scopes()) {
            db.update(c, "INSERT INTO " + scopes + " (key_digest, scope) VALUES (?, ?)", key.digest().hex(), scope);
        }
    }

    /** Rows of (key columns, scope), one per scope and at least one per key, folded into keys in row order. */
    private List<ApiKeyRecord> keys(Connection c, String sql, String param) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        db.query(c, sql, rs -> {
            String digest = rs.getString(1).strip();
            Row row = rows.get(digest);
            if (row == null) {
                row = new Row(rs, digest);
                rows.put(digest, row);
            }
            String scope = rs.getString(8);
            if (scope != null) {
                row.scopes.add(scope);
            }
            return null;
        }, param);
        List<ApiKeyRecord> result = new ArrayList<>(rows.size());
        for (Row row : rows.values()) {
            result.add(row.toRecord());
        }
        return result;
    }

    /** The key columns of one key, read once, and the scopes gathered from its rows. */
    private static final class Row {
        private final String digest;
        private final String id;
        private final String userId;
        private final String name;
        private final Instant createdAt;
        private final Instant expiresAt;
        private final Optional<Instant> lastUsedAt;
        private final Set<String> scopes = new HashSet<>();

        Row(ResultSet rs, String digest) throws SQLException {
            this.digest = digest;
            this.id = rs.getString(2);
            this.userId = rs.getString(3);
            this.name = rs.getString(4);
            this.createdAt = Jdbc.instant(rs, 5);
            this.expiresAt = Jdbc.instant(rs, 6);
            this.lastUsedAt = Jdbc.optionalInstant(rs, 7);
        }

        ApiKeyRecord toRecord() {
            return new ApiKeyRecord(new TokenDigest(digest), id, new UserId(userId), name, scopes, createdAt, expiresAt,
                    lastUsedAt);
        }
    }
}
