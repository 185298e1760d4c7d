package dev.portcullis.jdbc;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PasskeyStore;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.StoredPasskey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@link PasskeyStore} on the {@code <prefix>passkeys} table (schema version 5), keyed by the
 * SHA-256 of the credential id. Thread-safe: {@link #recordUse} is one conditional {@code UPDATE}
 * ({@code WHERE sign_count = ?}), so of racing uses with the same counter exactly one changes the
 * row; {@link #insert} relies on the primary key. Fails with {@link StoreException}.
 */
public final class JdbcPasskeyStore implements PasskeyStore {

    private static final String COLUMNS = "credential_id, user_id, public_key, sign_count, transports,"
            + " backup_eligible, backed_up, aaguid, name, created_at, last_used_at";

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_passkeys} table; dialect detected on first use. */
    public JdbcPasskeyStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcPasskeyStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcPasskeyStore");
        this.table = options.table("passkeys");
    }

    @Override
    public boolean insert(StoredPasskey p) {
        Objects.requireNonNull(p, "passkey");
        return db.transaction("insert", c -> {
            db.update(c, "INSERT INTO " + table + " (id_digest, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    key(p.credentialId()), p.credentialId(), p.userId().value(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(p.publicKey()), p.signCount(),
                    String.join(" ", p.transports().stream().sorted().toList()), p.backupEligible(), p.backedUp(),
                    p.aaguid(), p.name(), p.createdAt().toEpochMilli(), Jdbc.millisOrNull(p.lastUsedAt()));
            return true;
        }, () -> false);
    }

    @Override
    public Optional<StoredPasskey> find(String credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        return db.run("find", c -> db.query(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE id_digest = ?",
                JdbcPasskeyStore::read, key(credentialId)).stream().findFirst());
    }

    @Override
    public List<StoredPasskey> findByUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("findByUser", c -> db.query(c, "SELECT " + COLUMNS + " FROM " + table
                + " WHERE user_id = ? ORDER BY created_at, credential_id", JdbcPasskeyStore::read, userId.value()));
    }

    @Override
    public boolean recordUse(String credentialId, long expectedCount, long newCount, boolean backedUp, Instant usedAt) {
        Objects.requireNonNull(usedAt, "usedAt");
        return db.run("recordUse", c -> db.update(c, "UPDATE " + table
                        + " SET sign_count = ?, backed_up = ?, last_used_at = ? WHERE id_digest = ? AND sign_count = ?",
                newCount, backedUp, usedAt.toEpochMilli(), key(credentialId), expectedCount) == 1);
    }

    @Override
    public boolean rename(UserId userId, String credentialId, String name) {
        return db.run("rename", c -> db.update(c, "UPDATE " + table + " SET name = ? WHERE id_digest = ? AND user_id = ?",
                name, key(credentialId), userId.value()) == 1);
    }

    @Override
    public boolean delete(UserId userId, String credentialId) {
        return db.run("delete", c -> db.update(c, "DELETE FROM " + table + " WHERE id_digest = ? AND user_id = ?",
                key(credentialId), userId.value()) == 1);
    }

    private static String key(String credentialId) {
        return TokenDigest.of(credentialId).hex();
    }

    private static StoredPasskey read(ResultSet rs) throws SQLException {
        String transports = rs.getString(5);
        Set<String> parsed = transports.isBlank() ? Set.of()
                : Arrays.stream(transports.split(" ")).collect(Collectors.toSet());
        return new StoredPasskey(rs.getString(1), new UserId(rs.getString(2)),
                Base64.getUrlDecoder().decode(rs.getString(3)), rs.getLong(4), parsed, rs.getBoolean(6),
                rs.getBoolean(7), rs.getString(8).strip(), rs.getString(9), Jdbc.instant(rs, 10),
                Jdbc.optionalInstant(rs, 11).orElse(null));
    }
}
