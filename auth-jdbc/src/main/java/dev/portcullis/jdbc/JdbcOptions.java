package dev.portcullis.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings shared by the JDBC stores and {@link JdbcSchema}: the table-name prefix, the dialect
 * (detected from the connection when not given), and an optional per-statement query timeout.
 * Immutable and thread-safe; build with {@link #builder()} or use {@link #defaults()}.
 *
 * <p>Connection and socket timeouts belong to the {@code DataSource} (for example PostgreSQL's
 * {@code connectTimeout}/{@code socketTimeout} URL parameters and HikariCP's
 * {@code connectionTimeout}): set them, or a dead database makes calls hang instead of failing.
 */
public final class JdbcOptions {

    /** The prefix of every table and index auth-jdbc creates. */
    public static final String DEFAULT_TABLE_PREFIX = "portcullis_";

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,29}");

    private final String tablePrefix;
    private final JdbcDialect dialect;
    private final Duration queryTimeout;

    private JdbcOptions(Builder b) {
        this.tablePrefix = b.tablePrefix;
        this.dialect = b.dialect;
        this.queryTimeout = b.queryTimeout;
    }

    /** Default prefix, detected dialect, no query timeout. */
    public static JdbcOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The table-name prefix, {@value #DEFAULT_TABLE_PREFIX} unless set. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** The dialect given to the builder; empty means "detect from the connection". */
    public Optional<JdbcDialect> dialect() {
        return Optional.ofNullable(dialect);
    }

    /** The per-statement timeout given to the builder; empty means the driver's default (none). */
    public Optional<Duration> queryTimeout() {
        return Optional.ofNullable(queryTimeout);
    }

    String table(String name) {
        return tablePrefix + name;
    }

    /** Mutable, single-use builder; each setter checks its argument at once. */
    public static final class Builder {

        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private JdbcDialect dialect;
        private Duration queryTimeout;

        private Builder() {
        }

        /**
         * Prefix for every table and index name: 1 to 30 characters, letters, digits and
         * underscores, not starting with a digit (it is put into SQL unquoted). Use lower case so
         * the names read the same on every database.
         *
         * @throws IllegalArgumentException if {@code value} is not such an identifier
         */
        public Builder tablePrefix(String value) {
            Objects.requireNonNull(value, "tablePrefix");
            if (!PREFIX.matcher(value).matches()) {
                throw new IllegalArgumentException("tablePrefix must be 1 to 30 letters, digits or underscores, "
                        + "not starting with a digit, e.g. \"app_auth_\"; got \"" + value + "\"");
            }
            this.tablePrefix = value;
            return this;
        }

        /** Skips detection; use when the driver reports an unexpected product name. */
        public Builder dialect(JdbcDialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        /**
         * Applies {@link java.sql.Statement#setQueryTimeout(int)} (whole seconds, at least one)
         * to every statement. A timed-out statement fails with a {@code StoreException}.
         *
         * @throws IllegalArgumentException if {@code value} is shorter than one second
         */
        public Builder queryTimeout(Duration value) {
            Objects.requireNonNull(value, "queryTimeout");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("queryTimeout must be at least one second (JDBC counts whole seconds)");
            }
            this.queryTimeout = value;
            return this;
        }

        public JdbcOptions build() {
            return new JdbcOptions(this);
        }
    }
}
