package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.session.LoginResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start: the code between the markers below runs here, and the README must
 * contain it verbatim (indentation aside), so the front page cannot drift from the code.
 */
class QuickStartTest {

    @Test
    void readmeQuickStartWorks() {
        // --- README quick start begins
        Portcullis auth = Portcullis.builder()
                .stores(InMemoryStores.create())                  // or JdbcStores.create(dataSource)
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .serviceName("Acme")
                .build();

        RegistrationResult registered = auth.accounts().register(new Registration("ada@example.com",
                RawPassword.of("analytical engine 1843"), RawPassword.of("analytical engine 1843")), "203.0.113.7");
        if (registered instanceof RegistrationResult.Invalid invalid) {
            System.out.println(invalid.errors().byField());      // {password=[Use at least 15 characters.]}
        }

        LoginResult login = auth.sessions().login(new Credentials("ADA@example.com",
                RawPassword.of("analytical engine 1843")), "203.0.113.7");
        if (login instanceof LoginResult.Success success) {
            SessionToken token = success.session();               // put this in a cookie
            System.out.println(success.user().email());            // ada@example.com
            Optional<CurrentUser> me = auth.sessions().currentUser(token); // on every later request
            auth.sessions().logout(token, "203.0.113.7");
        }
        // --- README quick start ends
        assertThat(registered).isInstanceOf(RegistrationResult.Registered.class);
        assertThat(login).isInstanceOf(LoginResult.Success.class);
        assertThat(auth.sessions().currentUser(((LoginResult.Success) login).session())).isEmpty();
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/portcullis/QuickStartTest.java"));
        String block = source.substring(source.indexOf("// --- README quick start begins") + 32,
                source.indexOf("        // --- README quick start ends"));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(normalise(readme)).contains(normalise(block));
    }

    private static String normalise(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
