package dev.portcullis.jdbc;

class JdbcSchemaMariaDbTest extends JdbcSchemaTestBase {

    @Override
    JdbcDialect dialect() {
        return JdbcDialect.MARIADB;
    }
}
