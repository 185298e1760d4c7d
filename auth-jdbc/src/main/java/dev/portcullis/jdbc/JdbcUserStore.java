package dev.portcullis.jdbc;

import dev.portcullis.Portcullis;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * {@link UserStore} over a {@link DataSource}: by default on auth-jdbc's own
 * {@code <prefix>users} table, or on an application's existing table through a
 * {@link UserTableMapping} ({@link #mapped(DataSource, UserTableMapping, JdbcOptions)}).
 *
 * <p>Thread-safe; holds no connection between calls (borrow from a pool, such as HikariCP).
 * Email uniqueness on the own table comes from the unique index on {@code email_canonical}: of
 * racing inserts across any number of nodes exactly one returns {@code true}, the others
 * {@code false}. On a mapped table, inserts and email changes additionally take the
 * {@code <prefix>locks} row {@code user-email} ({@code SELECT ... FOR UPDATE}), so uniqueness
 * holds for writes made through Portcullis even without a suitable index. Lookups are one
 * statement each; multi-statement changes run in one transaction. Every failure of the database
 * is a {@link dev.portcullis.spi.StoreException} naming the operation and the cause; nothing is
 * half-written then.
 */
public final class JdbcUserStore implements UserStore {

    private final Jdbc db;
    /** Builds the layout's statements once the dialect is known (a mapped table's names are quoted per dialect). */
    private final BiFunction<Jdbc, JdbcDialect, UserTable> layout;
    private volatile UserTable table;

    /** The own {@code portcullis_users} table; dialect detected on first use. */
    public JdbcUserStore(DataSource dataSource) {
        this(dataSource, JdbcOptions.defaults());
    }

    /** The own {@code <prefix>users} table. */
    public JdbcUserStore(DataSource dataSource, JdbcOptions options) {
        this(dataSource, options, (db, dialect) -> new OwnUserTable(db, options));
    }

    private JdbcUserStore(DataSource dataSource, JdbcOptions options, BiFunction<Jdbc, JdbcDialect, UserTable> layout) {
        this.db = new Jdbc(dataSource, options, "JdbcUserStore");
        this.layout = layout;
    }

    /**
     * A store on the application's own user table. auth-jdbc's tables (roles, state, locks) must
     * exist as well, under {@code options}' prefix.
     */
    public static JdbcUserStore mapped(DataSource dataSource, UserTableMapping mapping, JdbcOptions options) {
        Objects.requireNonNull(mapping, "mapping");
        return new JdbcUserStore(dataSource, options, (db, dialect) -> new MappedUserTable(db, options, dialect, mapping));
    }

    @Override
    public Optional<StoredUser> findByEmail(EmailAddress email) {
        Objects.requireNonNull(email, "email");
        return table("findByEmail").findByEmail(email);
    }

    @Override
    public Optional<StoredUser> findById(UserId id) {
        Objects.requireNonNull(id, "id");
        return table("findById").findById(id);
    }

    @Override
    public boolean insert(StoredUser user) {
        Objects.requireNonNull(user, "user");
        return table("insert").insert(user);
    }

    /**
     * {@inheritDoc} On a mapped table with {@link UserTableMapping.IdType#GENERATED_INTEGER} ids
     * the answer is the key the database generated, not {@code user.id()}.
     */
    @Override
    public Optional<UserId> insertReturningId(StoredUser user) {
        Objects.requireNonNull(user, "user");
        return table("insert").insertReturningId(user);
    }

    /**
     * {@inheritDoc} On a mapped table: whether {@code hash} fits the hash column, whose width is
     * read when the store is first used. A hash that does not fit is never written:
     * {@link #updatePasswordHash} and {@link #insert} refuse it with a {@code StoreException}.
     */
    @Override
    public boolean canStore(PasswordHash hash) {
        Objects.requireNonNull(hash, "hash");
        return table("canStore").canStore(hash);
    }

    @Override
    public void updatePasswordHash(UserId id, PasswordHash newHash) {
        Objects.requireNonNull(newHash, "newHash");
        Objects.requireNonNull(id, "id");
        table("updatePasswordHash").updatePasswordHash(id, newHash);
    }

    @Override
    public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
        Objects.requireNonNull(newEmail, "newEmail");
        Objects.requireNonNull(id, "id");
        return table("updateEmail").updateEmail(id, newEmail, verified);
    }

    @Override
    public void markEmailVerified(UserId id) {
        Objects.requireNonNull(id, "id");
        table("markEmailVerified").markEmailVerified(id);
    }

    @Override
    public void setDisabled(UserId id, boolean disabled) {
        Objects.requireNonNull(id, "id");
        table("setDisabled").setDisabled(id, disabled);
    }

    @Override
    public void setRoles(UserId id, Set<String> roles) {
        Set<String> copy = Set.copyOf(roles);
        Objects.requireNonNull(id, "id");
        table("setRoles").setRoles(id, copy);
    }

    /**
     * The layout, built on first use (once: a mapped table reads its hash column then, and warns
     * once when it is too narrow); {@code operation} names a failure to reach the database then.
     */
    UserTable table(String operation) {
        UserTable t = table;
        if (t == null) {
            synchronized (this) {
                t = table;
                if (t == null) {
                    t = layout.apply(db, db.dialect(operation));
                    table = t;
                }
            }
        }
        return t;
    }
}
