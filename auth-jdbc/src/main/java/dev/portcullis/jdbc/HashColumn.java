package dev.portcullis.jdbc;

import dev.portcullis.model.PasswordHash;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The password-hash column of a mapped table as the database declares it: how many characters it
 * holds, and the DDL that widens it. Read from the driver's {@link ResultSetMetaData} of an empty
 * {@code SELECT} on the table, which names exactly the column the store's statements use (no
 * schema search path or name pattern to get wrong), the same way on H2, PostgreSQL and MariaDB.
 *
 * @param width   characters the column holds; {@link Integer#MAX_VALUE} when unbounded
 * @param widenTo the DDL that makes it {@link UserTableCheck#RECOMMENDED_HASH_WIDTH} wide
 */
record HashColumn(String table, String column, int width, String widenTo) {

    static HashColumn read(Connection c, JdbcDialect dialect, String table, String column) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT u." + column + " FROM " + table + " u WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            int precision = meta.getPrecision(1);
            int width = precision <= 0 ? Integer.MAX_VALUE : precision;
            boolean notNull = meta.isNullable(1) == ResultSetMetaData.columnNoNulls;
            return new HashColumn(table, column, width,
                    dialect.widenToVarchar(table, column, UserTableCheck.RECOMMENDED_HASH_WIDTH, notNull));
        }
    }

    /** Whether {@code hash} fits whole (hashes are ASCII, so characters are bytes too). */
    boolean fits(PasswordHash hash) {
        return hash.encoded().length() <= width;
    }

    /** Whether every hash Portcullis's hashers write fits (see {@link UserTableCheck#MIN_HASH_WIDTH}). */
    boolean wideEnough() {
        return width >= UserTableCheck.MIN_HASH_WIDTH;
    }

    /** Names column, table and width. */
    String described() {
        return "column " + column + " of table " + table + " holds "
                + (width == Integer.MAX_VALUE ? "any number of" : String.valueOf(width)) + " characters";
    }

    /** Names table, column, width and the fix. */
    String tooNarrow() {
        return "the password-hash column " + column + " of table " + table + " holds " + width
                + " characters, fewer than the " + UserTableCheck.MIN_HASH_WIDTH + " an Argon2id hash may need"
                + " (about 97 at the OWASP parameters); widen it: " + widenTo;
    }
}
