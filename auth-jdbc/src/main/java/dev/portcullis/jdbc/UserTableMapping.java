package dev.portcullis.jdbc;

import dev.portcullis.Portcullis;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps {@link JdbcUserStore} onto an application's own user table, so an existing app keeps its
 * accounts and their password hashes (bcrypt hashes are verified and upgraded to Argon2id on the
 * next login when the {@code Portcullis} instance uses
 * {@code DelegatingPasswordHasher.argon2idWithBcryptUpgrade()}).
 *
 * <pre>{@code
 * // Flask-style: CREATE TABLE "user" (id INTEGER PRIMARY KEY, email VARCHAR(120), password VARCHAR(60))
 * UserTableMapping mapping = UserTableMapping.builder("user")
 *         .id("id").numericIds()
 *         .email("email")
 *         .passwordHash("password")
 *         .build();
 * UserStore users = JdbcUserStore.mapped(dataSource, mapping, JdbcOptions.defaults());
 * }</pre>
 *
 * <p>Names are used as quoted identifiers, so give them exactly as the database stores them
 * (PostgreSQL folds unquoted DDL names to lower case, H2 to upper case); reserved words such as
 * {@code user} then work as they are. Each name is letters, digits and underscores.
 *
 * <p>What has no column of its own is kept in auth-jdbc's tables, which must therefore be
 * installed too ({@link JdbcSchema}): roles in {@code <prefix>user_roles}; creation time, email
 * verification and the disabled flag in {@code <prefix>user_state} (an existing row without state
 * reads as created at the epoch, {@link Builder#existingUsersVerified(boolean) verified} by
 * default, and enabled). Emails are looked up case-insensitively: through the
 * {@link Builder#canonicalEmail(String) canonical column} when mapped, otherwise with
 * {@code LOWER(email) = ?}, for which an index on {@code LOWER(email)} keeps lookups fast.
 * Immutable and thread-safe.
 */
public final class UserTableMapping {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String table;
    private final String id;
    private final boolean numericIds;
    private final String email;
    private final String canonicalEmail;
    private final String passwordHash;
    private final String createdAt;
    private final String emailVerified;
    private final String disabled;
    private final boolean existingUsersVerified;

    private UserTableMapping(Builder b) {
        this.table = b.table;
        this.id = b.id;
        this.numericIds = b.numericIds;
        this.email = b.email;
        this.canonicalEmail = b.canonicalEmail;
        this.passwordHash = b.passwordHash;
        this.createdAt = b.createdAt;
        this.emailVerified = b.emailVerified;
        this.disabled = b.disabled;
        this.existingUsersVerified = b.existingUsersVerified;
    }

    /**
     * Starts a mapping of {@code table}. The defaults are columns {@code id}, {@code email} and
     * {@code password_hash}, text ids, nothing else mapped.
     */
    public static Builder builder(String table) {
        return new Builder(table);
    }

    public String table() {
        return table;
    }

    public String idColumn() {
        return id;
    }

    /** Whether ids are integers the application or database assigns (then Portcullis cannot insert). */
    public boolean numericIds() {
        return numericIds;
    }

    public String emailColumn() {
        return email;
    }

    public Optional<String> canonicalEmailColumn() {
        return Optional.ofNullable(canonicalEmail);
    }

    public String passwordHashColumn() {
        return passwordHash;
    }

    public Optional<String> createdAtColumn() {
        return Optional.ofNullable(createdAt);
    }

    public Optional<String> emailVerifiedColumn() {
        return Optional.ofNullable(emailVerified);
    }

    public Optional<String> disabledColumn() {
        return Optional.ofNullable(disabled);
    }

    /** What an account reads as when the email-verified flag is neither mapped nor stored yet. */
    public boolean existingUsersVerified() {
        return existingUsersVerified;
    }

    /** Mutable, single-use builder; each setter validates its argument at once. */
    public static final class Builder {

        private final String table;
        private String id = "id";
        private boolean numericIds;
        private String email = "email";
        private String canonicalEmail;
        private String passwordHash = "password_hash";
        private String createdAt;
        private String emailVerified;
        private String disabled;
        private boolean existingUsersVerified = true;

        private Builder(String table) {
            this.table = identifier(table, "table");
        }

        /** The primary-key column (default {@code id}); text of at most 64 characters unless {@link #numericIds()}. */
        public Builder id(String column) {
            this.id = identifier(column, "id");
            return this;
        }

        /**
         * The id column holds integers the application or database assigns. Portcullis then finds,
         * logs in and updates those accounts but cannot register new ones: its ids are UUID text,
         * so {@code insert} throws {@link UnsupportedOperationException}. Register through the
         * application, or widen the column to {@code VARCHAR(64)} (existing ids such as {@code 42}
         * keep working as text) and drop this setting.
         */
        public Builder numericIds() {
            this.numericIds = true;
            return this;
        }

        /** The email column (default {@code email}); holds the address as typed. */
        public Builder email(String column) {
            this.email = identifier(column, "email");
            return this;
        }

        /**
         * A column holding the lower-cased address, written on every insert and email change and
         * used for lookups. Put a unique index on it.
         */
        public Builder canonicalEmail(String column) {
            this.canonicalEmail = identifier(column, "canonicalEmail");
            return this;
        }

        /** The password-hash column (default {@code password_hash}), e.g. Flask's {@code password}. */
        public Builder passwordHash(String column) {
            this.passwordHash = identifier(column, "passwordHash");
            return this;
        }

        /** A {@code TIMESTAMP} column holding the creation time in UTC. */
        public Builder createdAt(String column) {
            this.createdAt = identifier(column, "createdAt");
            return this;
        }

        /** A {@code BOOLEAN} column: whether the address was verified. */
        public Builder emailVerified(String column) {
            this.emailVerified = identifier(column, "emailVerified");
            return this;
        }

        /** A {@code BOOLEAN} column: whether the account is disabled (true means no login). */
        public Builder disabled(String column) {
            this.disabled = identifier(column, "disabled");
            return this;
        }

        /**
         * Whether accounts with no recorded verification count as verified (default {@code true}:
         * the application accepted them before Portcullis came).
         */
        public Builder existingUsersVerified(boolean value) {
            this.existingUsersVerified = value;
            return this;
        }

        public UserTableMapping build() {
            return new UserTableMapping(this);
        }

        private static String identifier(String value, String what) {
            Objects.requireNonNull(value, what);
            if (!IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " must be a plain SQL name (letters, digits, underscores, "
                        + "at most 63, not starting with a digit); got \"" + value + "\"");
            }
            return value;
        }
    }
}
