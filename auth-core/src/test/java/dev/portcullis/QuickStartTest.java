package dev.portcullis;

import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.session.LoginResult;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.password.DelegatingPasswordHasher;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's quick start, verbatim, so the README cannot drift from the code. */
class QuickStartTest {

    @Test
    void readmeQuickStartWorks() {
        // --- README quick start begins
        Portcullis auth = Portcullis.builder()
                .stores(Stores.of(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore()))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .serviceName("Acme")
                .build();

        RegistrationResult registered = auth.accounts().register(new Registration("ada@example.com",
                RawPassword.of("analytical engine 1843"), RawPassword.of("analytical engine 1843")), "203.0.113.7");
        if (registered instanceof RegistrationResult.Invalid invalid) {
            System.out.println(invalid.errors().byField());   // {password=[Use at least 15 characters.]}
        }

        LoginResult login = auth.sessions().login(new Credentials("ADA@example.com",
                RawPassword.of("analytical engine 1843")), "203.0.113.7");
        if (login instanceof LoginResult.Success success) {
            SessionToken token = success.session();            // put this in a cookie
            Optional<CurrentUser> me = auth.sessions().currentUser(token); // on every later request
            System.out.println(me.orElseThrow().email());       // ada@example.com
            auth.sessions().logout(token, "203.0.113.7");
        }
        // --- README quick start ends
        assertThat(registered).isInstanceOf(RegistrationResult.Registered.class);
        assertThat(login).isInstanceOf(LoginResult.Success.class);
        assertThat(auth.sessions().currentUser(((LoginResult.Success) login).session())).isEmpty();
    }
}
