package dev.portcullis.jdbc;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.TokenEpochStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link TokenEpochStore} on the {@code <prefix>token_epochs} table (schema version 2), so that
 * every node sharing the database refuses the same access tokens. A user without a row is at
 * epoch 0.
 *
 * <p>Thread-safe and atomic across nodes: {@link #advance} inserts the row at 1 or increments it
 * under its row lock and returns the result, in one statement on H2 and PostgreSQL and in one
 * transaction on MariaDB/MySQL (see {@code JdbcDialect.upsert}). n racing calls raise the epoch by
 * n and each gets a different value. Fails with {@link StoreException} naming the operation and the cause.
 */
public final class JdbcTokenEpochStore implements TokenEpochStore {

    private final Jdbc db;
    private final String table;

    /** The {@code portcullis_token_epochs} table; dialect detected on first use. */
    public JdbcTokenEpochStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    public JdbcTokenEpochStore(DataSource dataSource, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "JdbcTokenEpochStore");
        this.table = options.table("token_epochs");
    }

    @Override
    public int current(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return db.run("current", c -> read(c, userId).orElse(0));
    }

    @Override
    public int advance(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        Upsert advance = new Upsert(table, List.of("user_id", "epoch"), List.of(userId.value(), 1),
                List.of("epoch = " + table + ".epoch + 1"), List.of(), "epoch");
        return db.dialect("advance").upsert(db, "advance", advance, rs -> rs.getInt(1));
    }

    private Optional<Integer> read(Connection c, UserId userId) throws SQLException {
        List<Integer> epochs = db.query(c, "SELECT epoch FROM " + table + " WHERE user_id = ?", rs -> rs.getInt(1),
                userId.value());
        return epochs.stream().findFirst();
    }
}
