package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.RawPassword;
import dev.portcullis.policy.RoleGrants;
import dev.portcullis.session.LoginResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Roles from configuration: granted at sign-in, to verified addresses only, and then stored. */
class RoleGrantsTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";

    final InMemoryUserStore users = new InMemoryUserStore();
    final Portcullis portcullis = Portcullis.builder()
            .stores(Stores.of(users, new InMemorySessionStore(), new InMemoryAttemptStore()))
            .passwordHasher(new FastHasher())
            .roleGrants(RoleGrants.none().with("admin", List.of("Boss@Example.com")).with("auditor", List.of("boss@example.com")))
            .build();

    private RegistrationResult.Registered register(String email) {
        return (RegistrationResult.Registered) portcullis.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "t");
    }

    private LoginResult.Success login(String email) {
        return (LoginResult.Success) portcullis.sessions().login(new Credentials(email, RawPassword.of(PASSWORD)), "t");
    }

    @Test
    void aListedVerifiedAddressGetsItsRolesAtSignInAndKeepsThem() {
        RegistrationResult.Registered boss = register("boss@example.com");
        assertThat(login("boss@example.com").user().roles()).as("not before the address is verified").isEmpty();
        users.markEmailVerified(boss.userId());

        assertThat(login("BOSS@example.com").user().roles()).containsExactlyInAnyOrder("admin", "auditor");
        assertThat(users.findById(boss.userId()).orElseThrow().roles()).containsExactlyInAnyOrder("admin", "auditor");
    }

    @Test
    void otherAccountsGetNothingAndStoredRolesAreKept() {
        RegistrationResult.Registered other = register("someone@example.com");
        users.markEmailVerified(other.userId());
        portcullis.accounts().setRoles(other.userId(), Set.of("editor"));
        assertThat(login("someone@example.com").user().roles()).containsExactly("editor");
    }

    @Test
    void badGrantsAreRefusedWhenConfigured() {
        assertThatThrownBy(() -> RoleGrants.none().with("ad min", List.of("a@example.com"))).hasMessageContaining("role");
        assertThatThrownBy(() -> RoleGrants.none().with("admin", List.of("not-an-address"))).hasMessageContaining("not-an-address");
    }
}
