package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The statement counter itself, on H2: what it counts and what it leaves out. */
class CountingDataSourceTest {

    private TestDatabase database;
    private CountingDataSource counting;

    @BeforeEach
    void openDatabase() {
        database = TestDatabase.h2();
        database.execute("CREATE TABLE counted (id INT PRIMARY KEY, name VARCHAR(20))");
        counting = new CountingDataSource(database.dataSource());
    }

    @AfterEach
    void dropTables() {
        database.dropAnd("counted");
    }

    @Test
    void eachExecutionCountsOnceWithItsText() throws SQLException {
        try (Connection c = counting.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO counted VALUES (1, 'a')");
                s.executeUpdate("INSERT INTO counted VALUES (2, 'b')");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM counted WHERE id = ?")) {
                ps.setInt(1, 1);
                ps.executeQuery().close();
                ps.setInt(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("b");
                }
            }
            c.prepareStatement("DELETE FROM counted").close();
        }

        assertThat(counting.statements()).containsExactly(
                "INSERT INTO counted VALUES (1, 'a')",
                "INSERT INTO counted VALUES (2, 'b')",
                "SELECT name FROM counted WHERE id = ?",
                "SELECT name FROM counted WHERE id = ?");
        assertThat(counting.count()).isEqualTo(4);
    }

    @Test
    void aBatchCountsEachOfItsStatementsWhenExecuted() throws SQLException {
        try (Connection c = counting.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO counted VALUES (?, 'x')")) {
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id);
                ps.addBatch();
            }
            assertThat(counting.count()).isZero();
            ps.executeBatch();
        }

        assertThat(counting.count()).isEqualTo(3);
        assertThat(counting.statements()).containsOnly("INSERT INTO counted VALUES (?, 'x')");
    }

    @Test
    void failedStatementsCountAndTransactionEndsCountApart() throws SQLException {
        try (Connection c = counting.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO counted VALUES (1, 'a')");
                c.commit();
                assertThatThrownBy(() -> s.execute("INSERT INTO counted VALUES (1, 'again')")).isInstanceOf(SQLException.class);
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
        }

        assertThat(counting.count()).isEqualTo(2);
        assertThat(counting.commits()).isEqualTo(1);
        assertThat(counting.rollbacks()).isEqualTo(1);
    }

    @Test
    void resetForgetsWhatWasRecorded() throws SQLException {
        try (Connection c = counting.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO counted VALUES (1, 'a')");
            counting.reset();
            s.executeQuery("SELECT COUNT(*) FROM counted").close();
        }

        assertThat(counting.statements()).containsExactly("SELECT COUNT(*) FROM counted");
        assertThat(counting.commits()).isZero();
    }
}
