package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryRememberMeStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.password.DelegatingPasswordHasher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RememberMeTest {

    private static final DelegatingPasswordHasher HASHER = DelegatingPasswordHasher.argon2idWithBcryptUpgrade();
    private static final String PASSWORD = "violet tractor umbrella seventeen";

    MutableClock clock = MutableClock.startingAt("2026-03-01T08:00:00Z");
    InMemoryRememberMeStore store = new InMemoryRememberMeStore();
    InMemorySessionStore sessions = new InMemorySessionStore();
    Portcullis auth = Portcullis.builder().userStore(new InMemoryUserStore()).sessionStore(sessions)
            .attemptStore(new InMemoryAttemptStore()).rememberMeStore(store).passwordHasher(HASHER).clock(clock).build();
    RegistrationResult.Registered alice;
    RememberMeToken token;

    @BeforeEach
    void aliceTicksRememberMe() {
        alice = (RegistrationResult.Registered) auth.register(new Registration("alice@example.com",
                RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "");
        token = auth.rememberMe(alice.session()).orElseThrow();
    }

    @Test
    void tokenSurvivesTheSessionAndStartsANewOneRotatingItself() {
        clock.advance(Duration.ofDays(3));
        assertThat(auth.currentUser(alice.session())).as("the session itself is long gone").isEmpty();

        RememberMeResult.Resumed resumed = (RememberMeResult.Resumed) auth.resume(token, "");

        assertThat(resumed.userId()).isEqualTo(alice.userId());
        assertThat(auth.currentUser(resumed.session())).isPresent();
        assertThat(resumed.rotated()).isPresent().get().isNotEqualTo(token);
        assertThat(auth.resume(resumed.rotated().get(), "")).isInstanceOf(RememberMeResult.Resumed.class);
    }

    @Test
    void storeKeepsOnlyTheValidatorsDigest() {
        assertThat(store.find(token.selector()).orElseThrow().validatorHash().hex())
                .doesNotContain(token.validator()).hasSize(64);
    }

    @Test
    void parallelRequestsWithTheOldTokenInsideTheGraceWindowAllResume() throws Exception {
        List<RememberMeResult> results = PortcullisTest.Races.run(8, i -> auth.resume(token, ""));

        assertThat(results).allMatch(r -> r instanceof RememberMeResult.Resumed);
        assertThat(results).filteredOn(r -> ((RememberMeResult.Resumed) r).rotated().isPresent())
                .as("exactly one request rotates").hasSize(1);
    }

    @Test
    void reuseAfterTheGraceWindowRevokesTheWholeSeries() {
        RememberMeToken next = ((RememberMeResult.Resumed) auth.resume(token, "")).rotated().orElseThrow();
        clock.advance(Duration.ofSeconds(31));

        assertThat(auth.resume(token, "")).isEqualTo(new RememberMeResult.TheftDetected(alice.userId()));
        assertThat(auth.resume(next, "")).as("the thief's and the owner's tokens are both dead")
                .isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void wrongValidatorIsInvalidAndDoesNotRevoke() {
        RememberMeToken forged = new RememberMeToken(token.selector(), "A".repeat(43));
        assertThat(auth.resume(forged, "")).isInstanceOf(RememberMeResult.Invalid.class);
        assertThat(auth.resume(token, "")).isInstanceOf(RememberMeResult.Resumed.class);
    }

    @Test
    void expiredTokenIsInvalid() {
        clock.advance(Duration.ofDays(30));
        assertThat(auth.resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void forgetOnLogoutRevokesTheSeries() {
        auth.forget(token);
        assertThat(auth.resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void logoutEverywhereAndPasswordChangeRevokeRememberMe() {
        auth.logoutEverywhere(alice.userId(), "");
        assertThat(auth.resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);

        LoginResult.Success again = (LoginResult.Success) auth.login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), "");
        RememberMeToken second = auth.rememberMe(again.session()).orElseThrow();
        String next = "quiet orange bicycle harbour";
        auth.changePassword(again.session(), new PasswordChange(RawPassword.of(PASSWORD), RawPassword.of(next), RawPassword.of(next)), "");
        assertThat(auth.resume(second, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void disabledAccountCannotResume() {
        auth.disable(alice.userId(), "");
        assertThat(auth.resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void cookieEncodingRoundTripsAndRejectsGarbage() {
        assertThat(RememberMeToken.parse(token.encoded())).contains(token);
        assertThat(RememberMeToken.parse("garbage")).isEmpty();
        assertThat(RememberMeToken.parse(null)).isEmpty();
        assertThat(RememberMeToken.parse(token.encoded().replace('.', ':'))).isEmpty();
        assertThat(token.toString()).doesNotContain(token.validator());
    }

    @Test
    void aResumeRacingARevocationStartsNoSession() {
        // The revocation runs after the rotation was stored: simulate by revoking between the two.
        RememberMeToken next = ((RememberMeResult.Resumed) auth.resume(token, "")).rotated().orElseThrow();
        auth.logoutEverywhere(alice.userId(), "");
        assertThat(auth.resume(next, "")).isInstanceOf(RememberMeResult.Invalid.class);
        assertThat(sessions.findAllForUser(alice.userId())).isEmpty();
    }

    @Test
    void withoutAStoreRememberMeIsAClearConfigurationError() {
        Portcullis plain = Portcullis.builder().userStore(new InMemoryUserStore()).sessionStore(sessions)
                .attemptStore(new InMemoryAttemptStore()).passwordHasher(HASHER).clock(clock).build();
        assertThatThrownBy(() -> plain.rememberMe(alice.session())).hasMessageContaining("rememberMeStore");
        assertThat(plain.resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }
}
