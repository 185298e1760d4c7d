package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PORTCULLIS_REGISTRATION=verify-first: the same answer for new and taken addresses, login after verification. */
class VerifyFirstRegistrationTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void newAndTakenAddressesLookTheSameAndLoginWaitsForVerification() throws Exception {
        try (RunningApp app = new RunningApp(SMTP, RegistrationMode.VERIFY_FIRST)) {
            Http first = new Http(app);
            HttpResponse<String> fresh = first.submit("/register", "/register",
                    Map.of("email", "vf@example.com", "password", PASSWORD, "confirm_password", PASSWORD));
            Http second = new Http(app);
            HttpResponse<String> taken = second.submit("/register", "/register",
                    Map.of("email", "VF@example.com", "password", PASSWORD, "confirm_password", PASSWORD));

            assertThat(fresh.statusCode()).isEqualTo(303).isEqualTo(taken.statusCode());
            assertThat(fresh.headers().firstValue("Location")).isEqualTo(taken.headers().firstValue("Location"));
            assertThat(first.get("/").body()).contains("Check your inbox");
            assertThat(second.get("/").body()).contains("Check your inbox");
            assertThat(first.get("/profile").statusCode()).as("nobody is logged in").isEqualTo(302);

            // The second sign-up found a pending account: it takes it over and gets a fresh link; the
            // first link died with the first password.
            String firstLink = app.linkIn(app.mailText(1)).orElseThrow().getQuery().substring("token=".length());
            String latest = app.mailText(2);
            assertThat(app.recipient(1)).isEqualTo("vf@example.com");
            assertThat(app.recipient(2)).isEqualTo("vf@example.com");
            Http stale = new Http(app);
            stale.submit("/login", "/verify-email", Map.of("token", firstLink));
            assertThat(stale.get("/login").body()).contains("That link is invalid or has expired.");

            Http login = new Http(app);
            assertThat(login.submit("/login", "/login", Map.of("email", "vf@example.com", "password", PASSWORD)).statusCode())
                    .isEqualTo(403);
            String token = app.linkIn(latest).orElseThrow().getQuery().substring("token=".length());
            login.submit("/login", "/verify-email", Map.of("token", token));
            assertThat(login.submit("/login", "/login", Map.of("email", "vf@example.com", "password", PASSWORD)).statusCode())
                    .isEqualTo(303);
        }
    }
}
