package dev.portcullis.jdbc;

import dev.portcullis.Portcullis;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps {@link JdbcUserStore} onto an application's own user table, so an existing app keeps its
 * accounts and their password hashes (bcrypt hashes are verified and upgraded to Argon2id on the
 * next login when the {@code Portcullis} instance uses
 * {@code DelegatingPasswordHasher.argon2idWithBcryptUpgrade()}, and the hash column is wide
 * enough for Argon2id: see {@link UserTableCheck}).
 *
 * <pre>{@code
 * // Flask-style: CREATE TABLE "user" (id SERIAL PRIMARY KEY, email VARCHAR(120), password VARCHAR(60))
 * UserTableMapping mapping = UserTableMapping.builder("user")
 *         .id("id", UserTableMapping.IdType.GENERATED_INTEGER)
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
 * {@link Builder#canonicalEmail(String) canonical column} or the
 * {@link Builder#generatedCanonicalEmail(String) generated one} when mapped, otherwise with
 * {@code LOWER(email) = ?}, which an expression index on {@code LOWER(email)} serves on
 * PostgreSQL (H2 and MariaDB/MySQL need the generated column). Immutable and thread-safe.
 */
public final class UserTableMapping {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** What the id column holds, and who assigns new ids. The core sees every id as opaque text. */
    public enum IdType {
        /** Text of at most 64 characters; registration writes Portcullis's own ids (UUIDs). */
        TEXT,
        /**
         * Integers the application assigns. Portcullis finds, logs in and updates these accounts
         * but cannot register new ones ({@code insert} throws {@link UnsupportedOperationException}).
         */
        APPLICATION_INTEGER,
        /**
         * Integers the database assigns (an identity, {@code SERIAL} or {@code AUTO_INCREMENT}
         * column): registration inserts without the id and reads the generated key back, which
         * becomes the new account's id (e.g. {@code "6"}).
         */
        GENERATED_INTEGER
    }

    private final String table;
    private final String id;
    private final IdType idType;
    private final String email;
    private final String canonicalEmail;
    private final boolean canonicalEmailGenerated;
    private final String passwordHash;
    private final String createdAt;
    private final String emailVerified;
    private final String disabled;
    private final boolean existingUsersVerified;

    private UserTableMapping(Builder b) {
        this.table = b.table;
        this.id = b.id;
        this.idType = b.idType;
        this.email = b.email;
        this.canonicalEmail = b.canonicalEmail;
        this.canonicalEmailGenerated = b.canonicalEmailGenerated;
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

    public IdType idType() {
        return idType;
    }

    /** Whether ids are integers ({@link IdType#APPLICATION_INTEGER} or {@link IdType#GENERATED_INTEGER}). */
    public boolean numericIds() {
        return idType != IdType.TEXT;
    }

    public String emailColumn() {
        return email;
    }

    /** The column lookups compare with the canonical address, if any (written or generated). */
    public Optional<String> canonicalEmailColumn() {
        return Optional.ofNullable(canonicalEmail);
    }

    /** Whether the database computes the canonical column, so that Portcullis never writes it. */
    public boolean canonicalEmailGenerated() {
        return canonicalEmailGenerated;
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
        private IdType idType = IdType.TEXT;
        private String email = "email";
        private String canonicalEmail;
        private boolean canonicalEmailGenerated;
        private String passwordHash = "password_hash";
        private String createdAt;
        private String emailVerified;
        private String disabled;
        private boolean existingUsersVerified = true;

        private Builder(String table) {
            this.table = identifier(table, "table");
        }

        /** The primary-key column (default {@code id}), of {@link IdType#TEXT}. */
        public Builder id(String column) {
            return id(column, IdType.TEXT);
        }

        /** The primary-key column and what it holds; see {@link IdType}. */
        public Builder id(String column, IdType type) {
            this.id = identifier(column, "id");
            this.idType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * The id column holds integers the application assigns: {@link IdType#APPLICATION_INTEGER}.
         * When the database assigns them (identity, {@code SERIAL}, {@code AUTO_INCREMENT}), say
         * {@code id(column, IdType.GENERATED_INTEGER)} instead, and registration works too.
         */
        public Builder numericIds() {
            this.idType = IdType.APPLICATION_INTEGER;
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
            this.canonicalEmailGenerated = false;
            return this;
        }

        /**
         * A column the database computes as {@code LOWER(email)} (a generated or computed
         * column), with a unique index: used for lookups, never written. This is how H2 and
         * MariaDB/MySQL get an index for case-insensitive lookups, since their optimisers do not
         * match {@code LOWER(email) = ?} to it. Give it a binary collation on MariaDB
         * ({@code utf8mb4_bin}) so that {@code mıke@} and {@code mike@} stay apart.
         */
        public Builder generatedCanonicalEmail(String column) {
            this.canonicalEmail = identifier(column, "generatedCanonicalEmail");
            this.canonicalEmailGenerated = true;
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
