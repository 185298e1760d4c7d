package dev.portcullis.jdbc;

class JdbcSchemaH2Test extends JdbcSchemaTestBase {

    @Override
    JdbcDialect dialect() {
        return JdbcDialect.H2;
    }
}
