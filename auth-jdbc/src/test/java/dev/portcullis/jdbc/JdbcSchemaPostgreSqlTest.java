package dev.portcullis.jdbc;

class JdbcSchemaPostgreSqlTest extends JdbcSchemaTestBase {

    @Override
    JdbcDialect dialect() {
        return JdbcDialect.POSTGRESQL;
    }
}
