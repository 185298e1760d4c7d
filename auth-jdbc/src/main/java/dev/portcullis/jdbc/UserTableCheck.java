package dev.portcullis.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Checks to run on an application's user table before switching it to Portcullis
 * ({@link JdbcUserStore#mapped}): whether the hash column is wide enough for Argon2id, and which
 * stored addresses are equal once lower-cased (Portcullis looks addresses up case-insensitively,
 * so of such a group only one account can still sign in). Each method runs one query; nothing is
 * changed. Thread-safe.
 *
 * <pre>{@code
 * UserTableCheck check = new UserTableCheck(dataSource, mapping, options);
 * check.requireWideHashColumn();                       // refuse to start, naming the ALTER to run
 * List<List<String>> duplicates = check.findCaseDuplicates();
 * }</pre>
 */
public final class UserTableCheck {

    /**
     * The width below which a hash column is reported too narrow: an Argon2id PHC string is 97
     * characters at the OWASP parameters and at most 102 at the highest ones {@code Argon2idHasher}
     * accepts; 128 leaves room for another PHC hasher.
     */
    public static final int MIN_HASH_WIDTH = 128;

    /** The width the suggested {@code ALTER TABLE} gives the hash column. */
    public static final int RECOMMENDED_HASH_WIDTH = 255;

    private final Jdbc db;
    private final UserTableMapping mapping;

    public UserTableCheck(DataSource dataSource, UserTableMapping mapping, JdbcOptions options) {
        this.db = new Jdbc(dataSource, options, "UserTableCheck");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * How many characters the password-hash column holds ({@link Integer#MAX_VALUE} when
     * unbounded, e.g. {@code TEXT}).
     *
     * @throws dev.portcullis.spi.StoreException if the table or column cannot be read
     */
    public int passwordHashWidth() {
        return hashColumn("passwordHashWidth").width();
    }

    /**
     * What is wrong with the hash column, if anything: narrower than {@link #MIN_HASH_WIDTH},
     * with table, column, width and the {@code ALTER TABLE} statement that widens it.
     */
    public Optional<String> hashColumnProblem() {
        HashColumn column = hashColumn("hashColumnProblem");
        return column.wideEnough() ? Optional.empty() : Optional.of(column.tooNarrow());
    }

    /**
     * For applications that would rather not start than run without hash upgrades.
     *
     * @throws IllegalStateException naming table, column, width and the fix, when the column is
     *     narrower than {@link #MIN_HASH_WIDTH}
     */
    public void requireWideHashColumn() {
        hashColumnProblem().ifPresent(problem -> {
            throw new IllegalStateException("UserTableCheck: " + problem);
        });
    }

    /**
     * The addresses that are equal under {@code LOWER()}, as stored, one list per group (e.g.
     * {@code [Alice@Example.com, ALICE@example.com]}), groups and addresses in order; empty when
     * there are none. Resolve each group (merge the accounts, or change all but one address)
     * before switching: Portcullis finds only the account with the lowest id of a group.
     */
    public List<List<String>> findCaseDuplicates() {
        JdbcDialect dialect = db.dialect("findCaseDuplicates");
        String table = dialect.quote(mapping.table());
        String email = dialect.quote(mapping.emailColumn());
        String sql = "SELECT LOWER(u." + email + "), u." + email + " FROM " + table + " u WHERE LOWER(u." + email
                + ") IN (SELECT LOWER(d." + email + ") FROM " + table + " d GROUP BY LOWER(d." + email
                + ") HAVING COUNT(*) > 1) ORDER BY 1, 2";
        Map<String, List<String>> groups = new LinkedHashMap<>();
        db.run("findCaseDuplicates", c -> db.query(c, sql, rs -> {
            groups.computeIfAbsent(rs.getString(1), key -> new ArrayList<>()).add(rs.getString(2));
            return null;
        }));
        // A case-insensitive collation (MariaDB's default) may group values LOWER() tells apart.
        return groups.values().stream().filter(group -> group.size() > 1).map(List::copyOf).toList();
    }

    private HashColumn hashColumn(String operation) {
        JdbcDialect dialect = db.dialect(operation);
        return db.run(operation, c -> HashColumn.read(c, dialect, dialect.quote(mapping.table()),
                dialect.quote(mapping.passwordHashColumn())));
    }
}
