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
        // The database's throttle counters outlive this run (and RunningApp's clock is fixed), so the
        // requests come, through a trusted proxy, from an address of this run's own.
        UUID run = UUID.randomUUID();
        String clientAddress = "10." + (run.getLeastSignificantBits() & 0xff) + "." + ((run.getLeastSignificantBits() >> 8) & 0xff)
                + "." + (1 + ((run.getLeastSignificantBits() >>> 16) & 0x7f));
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.IMMEDIATE, url, "", "",
                Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1, ::1"))) {
            String email = "db-" + run + "@example.com";
            Http http = new Http(app);
            http.headers.put("X-Forwarded-For", clientAddress);
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
