package dev.portcullis.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

/** The seed's table on PostgreSQL: a SERIAL key; the lookup index is an expression index on LOWER(email). */
class SeedUserTablePostgreSqlTest extends SeedUserTableTestBase {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.isolated(JdbcDialect.POSTGRESQL, null);
    }

    @Override
    String createSeedTable() {
        return "CREATE TABLE \"user\" (id SERIAL PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE, "
                + "password VARCHAR(60) NOT NULL)";
    }

    @Override
    UserTableMapping applyLookupIndexAdvice() {
        database.execute("CREATE UNIQUE INDEX user_email_lower ON \"user\" (LOWER(email))", "ANALYZE \"user\"");
        return seedMapping();
    }

    @Override
    List<String> explain(String sql, String parameter) throws SQLException {
        return rows("EXPLAIN " + sql, parameter);
    }

    @Override
    void assertUsesTheLookupIndex(List<String> plan) {
        String text = String.join("\n", plan);
        assertThat(text).as(text).contains("using user_email_lower on \"user\" u").doesNotContain("Seq Scan on \"user\"");
    }

    @Override
    String cutShortTrigger() {
        return "CREATE FUNCTION cut_hash() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN NEW.password := left(NEW.password, 60); RETURN NEW; END $$;;"
                + "CREATE TRIGGER cut_hash BEFORE UPDATE ON \"user\" FOR EACH ROW EXECUTE FUNCTION cut_hash()";
    }
}
