package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.testkit.ExternalService;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same app on the real PostgreSQL and MariaDB, switched only by PORTCULLIS_DB_URL: schema
 * installed on start, register, log out, log in, remember the user. Runs when
 * PORTCULLIS_TEST_POSTGRES_URL / PORTCULLIS_TEST_MARIADB_URL are set (required under CI=true).
 */
class WebAppDatabasesTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void registerLogoutLoginOnPostgreSql() throws Exception {
        roundTrip(ExternalService.postgresUrl());
    }

    @Test
    void registerLogoutLoginOnMariaDb() throws Exception {
        roundTrip(ExternalService.mariaDbUrl());
    }

    private void roundTrip(String url) throws Exception {
        // The test URLs carry the user as a query parameter; the app takes it from the URL too.
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, url, "", "")) {
            String email = "db-" + UUID.randomUUID() + "@example.com";
            Http http = new Http(app);
            assertThat(http.submit("/register", "/register", Map.of("email", email, "password", PASSWORD,
                    "confirm_password", PASSWORD)).statusCode()).isEqualTo(303);
            assertThat(http.get("/profile").body()).contains(email);
            assertThat(http.submit("/", "/logout", Map.of()).statusCode()).isEqualTo(303);
            assertThat(http.get("/profile").statusCode()).isEqualTo(302);
            assertThat(http.submit("/login", "/login", Map.of("email", email.toUpperCase(), "password", PASSWORD))
                    .headers().firstValue("Location")).contains("/");
            assertThat(http.get("/profile").body()).contains(email);
            URI verify = app.linkIn(app.mailTextTo(email)).orElseThrow();
            assertThat(verify.getPath()).isEqualTo("/verify-email");
        }
    }
}
