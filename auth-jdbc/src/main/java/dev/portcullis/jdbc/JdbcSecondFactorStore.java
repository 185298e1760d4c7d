package dev.portcullis.jdbc;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.TotpEnrolment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link SecondFactorStore} on the {@code <prefix>totp_enrolments} and {@code <prefix>recovery_codes}
 * tables (schema version 3), shared by every node that uses the same database. The sealed secret
 * and the code digests come from the core; nothing here can open or reverse them.
 *
 * <p>Thread-safe. The conditions that make a code single-use are each one statement, so the
 * database's row lock decides between racing callers, also across nodes: {@link #advanceTotpStep}
 * is {@code UPDATE ... WHERE last_used_step < ?}, {@link #confirmTotp} is
 * {@code UPDATE ... WHERE confirmed_at IS NULL AND sealed_secret = ?}, {@link #useRecoveryCode} is
 * one {@code DELETE}; the loser of each changes no row. {@link #replaceRecoveryCodes} deletes and
 * inserts in one transaction. Fails with {@link StoreException} naming the operation and the cause.
 */
public final class JdbcSecondFactorStore implements SecondFactorStore {

    private static final String TOTP_COLUMNS = "user_id, sealed_secret, created_at, confirmed_at, last_used_step";

    private final Jdbc db;
    private final String totp;
    private final String codes;

    /** The default tables; dialect detected on first use. */
    public JdbcSecondFactorStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcSecondFactorStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcSecondFactorStore");
        this.totp = options.table("totp_enrolments");
        this.codes = options.table("recovery_codes");
    }

    @Override
    public Optional<TotpEnrolment> findTotp(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("findTotp", c -> db.query(c, "SELECT " + TOTP_COLUMNS + " FROM " + totp + " WHERE user_id = ?",
                JdbcSecondFactorStore::read, userId.value()).stream().findFirst());
    }

    @Override
    public boolean savePendingTotp(TotpEnrolment pending) {
        Objects.requireNonNull(pending, "pending");
        if (pending.confirmed()) {
            throw new IllegalArgumentException("savePendingTotp takes an unconfirmed enrolment");
        }
        // Replace a pending row, never a confirmed one: the DELETE spares confirmed rows, and the
        // INSERT then fails on the key exactly when a confirmed row (or a racing insert) is there.
        for (int attempt = 0; attempt < 3; attempt++) {
            Boolean saved = db.transaction("savePendingTotp", c -> {
                db.update(c, "DELETE FROM " + totp + " WHERE user_id = ? AND confirmed_at IS NULL", pending.userId().value());
                db.update(c, "INSERT INTO " + totp + " (" + TOTP_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                        pending.userId().value(), pending.sealedSecret(), pending.createdAt().toEpochMilli(), null,
                        pending.lastUsedStep());
                return Boolean.TRUE;
            }, () -> null);
            if (saved != null) {
                return true;
            }
            if (findTotp(pending.userId()).filter(TotpEnrolment::confirmed).isPresent()) {
                return false;
            }
        }
        return false;
    }

    @Override
    public boolean confirmTotp(UserId userId, String sealedSecret, long step, Instant confirmedAt) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        return db.run("confirmTotp", c -> db.update(c, "UPDATE " + totp + " SET confirmed_at = ?, last_used_step = ?"
                        + " WHERE user_id = ? AND sealed_secret = ? AND confirmed_at IS NULL",
                confirmedAt.toEpochMilli(), step, userId.value(), sealedSecret)) == 1;
    }

    @Override
    public boolean advanceTotpStep(UserId userId, long step) {
        Objects.requireNonNull(userId, "userId");
        return db.run("advanceTotpStep", c -> db.update(c, "UPDATE " + totp + " SET last_used_step = ?"
                + " WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_used_step < ?", step, userId.value(), step)) == 1;
    }

    @Override
    public boolean deleteTotp(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("deleteTotp", c -> db.update(c, "DELETE FROM " + totp + " WHERE user_id = ?", userId.value())) > 0;
    }

    @Override
    public void replaceRecoveryCodes(UserId userId, List<TokenDigest> digests, Instant createdAt) {
        Objects.requireNonNull(userId, "userId");
        List<TokenDigest> fresh = List.copyOf(digests);
        long at = createdAt.toEpochMilli();
        db.transaction("replaceRecoveryCodes", c -> {
            db.update(c, "DELETE FROM " + codes + " WHERE user_id = ?", userId.value());
            if (!fresh.isEmpty()) {
                try (PreparedStatement ps = db.prepare(c, "INSERT INTO " + codes
                        + " (user_id, code_digest, created_at) VALUES (?, ?, ?)")) {
                    for (TokenDigest d : fresh) {
                        ps.setString(1, userId.value());
                        ps.setString(2, d.hex());
                        ps.setLong(3, at);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public boolean useRecoveryCode(UserId userId, TokenDigest digest) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(digest, "digest");
        return db.run("useRecoveryCode", c -> db.update(c, "DELETE FROM " + codes + " WHERE user_id = ? AND code_digest = ?",
                userId.value(), digest.hex())) == 1;
    }

    @Override
    public int countRecoveryCodes(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("countRecoveryCodes", c -> db.query(c, "SELECT COUNT(*) FROM " + codes + " WHERE user_id = ?",
                rs -> rs.getInt(1), userId.value()).get(0));
    }

    private static TotpEnrolment read(ResultSet rs) throws SQLException {
        return new TotpEnrolment(new UserId(rs.getString(1)), rs.getString(2), Jdbc.instant(rs, 3),
                Jdbc.optionalInstant(rs, 4).orElse(null), rs.getLong(5));
    }
}
