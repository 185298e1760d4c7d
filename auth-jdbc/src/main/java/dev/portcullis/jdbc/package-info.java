/**
 * Stores over any {@link javax.sql.DataSource}: {@link dev.portcullis.jdbc.JdbcUserStore},
 * {@link dev.portcullis.jdbc.JdbcSessionStore}, {@link dev.portcullis.jdbc.JdbcAttemptStore}, on
 * H2, PostgreSQL and MariaDB/MySQL; {@link dev.portcullis.jdbc.JdbcSchema} installs their tables,
 * or run the shipped {@code dev/portcullis/jdbc/schema/<db>/V<n>__portcullis.sql} yourself.
 *
 * <p>The stores keep no pool of their own: give them a pooled {@code DataSource} with connect and
 * socket timeouts set, so an unreachable database fails a call quickly (as a
 * {@link dev.portcullis.spi.StoreException}) instead of hanging it. They recover by themselves
 * when the database is back, as far as the pool replaces broken connections (HikariCP does).
 */
package dev.portcullis.jdbc;
