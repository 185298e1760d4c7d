package dev.portcullis;

import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.RememberMeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryOneTimeTokenStore;
import dev.portcullis.memory.InMemoryRememberMeStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AccountMail;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RememberMeTest {

    private static final DelegatingPasswordHasher HASHER = DelegatingPasswordHasher.argon2idWithBcryptUpgrade();
    private static final String PASSWORD = "violet tractor umbrella seventeen";

    MutableClock clock = MutableClock.startingAt("2026-03-01T08:00:00Z");
    InMemoryRememberMeStore store = new InMemoryRememberMeStore();
    InMemorySessionStore sessions = new InMemorySessionStore();
    List<AccountMail> mails = new CopyOnWriteArrayList<>();
    Portcullis auth = Portcullis.builder()
            .stores(Stores.of(new InMemoryUserStore(), sessions, new InMemoryAttemptStore()).withRememberMe(store)
                    .withOneTimeTokens(new InMemoryOneTimeTokenStore()))
            .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
            .passwordHasher(HASHER).clock(clock).build();
    RegistrationResult.Registered alice;
    RememberMeToken token;

    @BeforeEach
    void aliceTicksRememberMe() {
        alice = (RegistrationResult.Registered) auth.accounts().register(new Registration("alice@example.com",
                RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "");
        token = auth.rememberMe().issue(alice.session()).orElseThrow();
    }

    @Test
    void tokenSurvivesTheSessionAndStartsANewOneRotatingItself() {
        clock.advance(Duration.ofDays(3));
        assertThat(auth.sessions().currentUser(alice.session())).as("the session itself is long gone").isEmpty();

        RememberMeResult.Resumed resumed = (RememberMeResult.Resumed) auth.rememberMe().resume(token, "");

        assertThat(resumed.userId()).isEqualTo(alice.userId());
        assertThat(auth.sessions().currentUser(resumed.session())).isPresent();
        assertThat(resumed.rotated()).isPresent().get().isNotEqualTo(token);
        assertThat(auth.rememberMe().resume(resumed.rotated().get(), "")).isInstanceOf(RememberMeResult.Resumed.class);
    }

    @Test
    void storeKeepsOnlyTheValidatorsDigest() {
        assertThat(store.find(token.selector()).orElseThrow().validatorHash().hex())
                .doesNotContain(token.validator()).hasSize(64);
    }

    @Test
    void parallelRequestsWithTheOldTokenInsideTheGraceWindowAllResume() throws Exception {
        List<RememberMeResult> results = PortcullisTest.Races.run(8, i -> auth.rememberMe().resume(token, ""));

        assertThat(results).allMatch(r -> r instanceof RememberMeResult.Resumed);
        assertThat(results).filteredOn(r -> ((RememberMeResult.Resumed) r).rotated().isPresent())
                .as("exactly one request rotates").hasSize(1);
    }

    @Test
    void reuseAfterTheGraceWindowRevokesTheWholeSeries() {
        RememberMeToken next = ((RememberMeResult.Resumed) auth.rememberMe().resume(token, "")).rotated().orElseThrow();
        clock.advance(Duration.ofSeconds(31));

        assertThat(auth.rememberMe().resume(token, "")).isEqualTo(new RememberMeResult.TheftDetected(alice.userId()));
        assertThat(auth.rememberMe().resume(next, "")).as("the thief's and the owner's tokens are both dead")
                .isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void theftEndsTheThiefsSessionAndEveryCredentialOfTheAccountAndMailsTheOwner() {
        // Issue 12 item 3: the thief presents the copied token first and gets a session; when the
        // owner's browser later presents the replaced token, the thief's session must die too.
        LoginResult.Success laptop = (LoginResult.Success) auth.sessions().login(
                new Credentials("alice@example.com", RawPassword.of(PASSWORD)), "");
        RememberMeToken laptopToken = auth.rememberMe().issue(laptop.session()).orElseThrow();
        clock.advance(Duration.ofHours(1));
        RememberMeResult.Resumed thief = (RememberMeResult.Resumed) auth.rememberMe().resume(token, "203.0.113.66");
        clock.advance(Duration.ofMinutes(5));
        mails.clear();

        assertThat(auth.rememberMe().resume(token, "")).isEqualTo(new RememberMeResult.TheftDetected(alice.userId()));

        assertThat(auth.sessions().currentUser(thief.session())).as("the thief's session").isEmpty();
        assertThat(auth.rememberMe().resume(thief.rotated().orElseThrow(), "")).as("the thief's rotated token")
                .isInstanceOf(RememberMeResult.Invalid.class);
        assertThat(auth.sessions().currentUser(laptop.session())).as("every other session of the account").isEmpty();
        assertThat(auth.rememberMe().resume(laptopToken, "")).as("every other series of the account")
                .isInstanceOf(RememberMeResult.Invalid.class);
        assertThat(sessions.findAllForUser(alice.userId())).isEmpty();
        assertThat(mails).containsExactly(new AccountMail.RememberMeTheft(alice.user().email()));
    }

    @Test
    void wrongValidatorIsInvalidAndDoesNotRevoke() {
        RememberMeToken forged = new RememberMeToken(token.selector(), "A".repeat(43));
        assertThat(auth.rememberMe().resume(forged, "")).isInstanceOf(RememberMeResult.Invalid.class);
        assertThat(auth.rememberMe().resume(token, "")).isInstanceOf(RememberMeResult.Resumed.class);
    }

    @Test
    void expiredTokenIsInvalid() {
        clock.advance(Duration.ofDays(30));
        assertThat(auth.rememberMe().resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void forgetOnLogoutRevokesTheSeries() {
        auth.rememberMe().forget(token);
        assertThat(auth.rememberMe().resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void logoutEverywhereAndPasswordChangeRevokeRememberMe() {
        auth.sessions().logoutEverywhere(alice.userId(), "");
        assertThat(auth.rememberMe().resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);

        LoginResult.Success again = (LoginResult.Success) auth.sessions().login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), "");
        RememberMeToken second = auth.rememberMe().issue(again.session()).orElseThrow();
        String next = "quiet orange bicycle harbour";
        auth.accounts().changePassword(again.session(), new PasswordChange(RawPassword.of(PASSWORD), RawPassword.of(next), RawPassword.of(next)), "");
        assertThat(auth.rememberMe().resume(second, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }

    @Test
    void disabledAccountCannotResume() {
        auth.accounts().disable(alice.userId(), "");
        assertThat(auth.rememberMe().resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
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
        RememberMeToken next = ((RememberMeResult.Resumed) auth.rememberMe().resume(token, "")).rotated().orElseThrow();
        auth.sessions().logoutEverywhere(alice.userId(), "");
        assertThat(auth.rememberMe().resume(next, "")).isInstanceOf(RememberMeResult.Invalid.class);
        assertThat(sessions.findAllForUser(alice.userId())).isEmpty();
    }

    @Test
    void withoutAStoreRememberMeIsAClearConfigurationError() {
        Portcullis plain = Portcullis.builder().stores(Stores.of(new InMemoryUserStore(), sessions, new InMemoryAttemptStore())).passwordHasher(HASHER).clock(clock).build();
        assertThatThrownBy(() -> plain.rememberMe().issue(alice.session())).hasMessageContaining("RememberMeStore");
        assertThat(plain.rememberMe().resume(token, "")).isInstanceOf(RememberMeResult.Invalid.class);
    }
}
