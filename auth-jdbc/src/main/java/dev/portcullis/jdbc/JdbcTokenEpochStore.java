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
 * <p>Thread-safe and atomic across nodes: {@link #advance} increments the row under its row lock
 * ({@code UPDATE ... SET epoch = epoch + 1}) and reads the result in the same transaction,
 * inserting the row at 1 when absent; when a racing node inserted first, or the database chose
 * the call as a deadlock victim, it runs again. n racing calls raise the epoch by n and each gets
 * a different value. Fails with {@link StoreException} naming the operation and the cause.
 */
public final class JdbcTokenEpochStore implements TokenEpochStore {

    private static final int RACE_RETRIES = 30;

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
        for (int attempt = 1; ; attempt++) {
            Optional<Integer> advanced = db.transaction("advance", c -> {
                if (db.update(c, "UPDATE " + table + " SET epoch = epoch + 1 WHERE user_id = ?", userId.value()) == 0) {
                    db.update(c, "INSERT INTO " + table + " (user_id, epoch) VALUES (?, 1)", userId.value());
                }
                return Optional.of(read(c, userId).orElseThrow(() -> new SQLException("row vanished inside its transaction")));
            }, Optional::empty);
            if (advanced.isPresent()) {
                return advanced.get();
            }
            if (attempt == RACE_RETRIES) {
                throw new StoreException("JdbcTokenEpochStore.advance failed: still losing the insert race for a user after "
                        + RACE_RETRIES + " tries", null);
            }
        }
    }

    private Optional<Integer> read(Connection c, UserId userId) throws SQLException {
        List<Integer> epochs = db.query(c, "SELECT epoch FROM " + table + " WHERE user_id = ?", rs -> rs.getInt(1),
                userId.value());
        return epochs.stream().findFirst();
    }
}
