/**
 * Stores over any {@link javax.sql.DataSource}: {@link dev.portcullis.jdbc.JdbcUserStore},
 * {@link dev.portcullis.jdbc.JdbcSessionStore}, {@link dev.portcullis.jdbc.JdbcAttemptStore}
 * (schema version 1) and {@link dev.portcullis.jdbc.JdbcRememberMeStore},
 * {@link dev.portcullis.jdbc.JdbcOneTimeTokenStore}, {@link dev.portcullis.jdbc.JdbcRefreshTokenStore},
 * {@link dev.portcullis.jdbc.JdbcApiKeyStore}, {@link dev.portcullis.jdbc.JdbcTokenEpochStore}
 * (version 2), on H2, PostgreSQL and MariaDB/MySQL; {@link dev.portcullis.jdbc.JdbcSchema}
 * installs their tables, or run the shipped {@code dev/portcullis/jdbc/schema/<db>/V1__portcullis.sql}
 * and {@code V2__portcullis_tokens.sql} yourself, in that order.
 *
 * <p>The stores keep no pool of their own: give them a pooled {@code DataSource} with connect and
 * socket timeouts set, so an unreachable database fails a call quickly (as a
 * {@link dev.portcullis.spi.StoreException}) instead of hanging it. They recover by themselves
 * when the database is back, as far as the pool replaces broken connections (HikariCP does).
 */
package dev.portcullis.jdbc;

import dev.portcullis.Stores;
