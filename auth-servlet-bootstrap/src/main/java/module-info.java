/**
 * Protects an existing servlet web app by configuration: a {@code ServletContainerInitializer}
 * that, when {@code web.xml} names Portcullis settings, builds the library (JDBC stores pooled
 * with HikariCP, SMTP mail, the filter, the endpoints and their default pages).
 */
module dev.portcullis.servlet.bootstrap {
    requires dev.portcullis.servlet;
    requires dev.portcullis.jdbc;
    requires dev.portcullis.mail.smtp;
    requires com.zaxxer.hikari;
    requires java.naming;

    exports dev.portcullis.servlet.bootstrap;

    provides jakarta.servlet.ServletContainerInitializer with dev.portcullis.servlet.bootstrap.PortcullisInitializer;
}
