package dev.portcullis;

import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailRequestResult;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationMode;
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
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.StoredUser;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Verification, reset and email change, with a recording mailer run on the calling thread. */
class AccountMailFlowsTest {

    private static final DelegatingPasswordHasher HASHER = DelegatingPasswordHasher.argon2idWithBcryptUpgrade();
    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String NEW_PASSWORD = "quiet orange bicycle harbour";

    MutableClock clock = MutableClock.startingAt("2026-04-01T09:00:00Z");
    InMemoryUserStore users = new InMemoryUserStore();
    InMemorySessionStore sessions = new InMemorySessionStore();
    InMemoryOneTimeTokenStore tokens = new InMemoryOneTimeTokenStore();
    InMemoryRememberMeStore rememberMe = new InMemoryRememberMeStore();
    List<AccountMail> outbox = new CopyOnWriteArrayList<>();

    PortcullisBuilder builder() {
        return Portcullis.builder().stores(Stores.of(users, sessions, new InMemoryAttemptStore()).withRememberMe(rememberMe).withOneTimeTokens(tokens)).passwordHasher(HASHER).clock(clock)
                .mail(MailSettings.of(outbox::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run));
    }

    Portcullis auth = builder().build();

    static Registration registration(String email) {
        return new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD));
    }

    static String tokenOf(URI link) {
        return link.getQuery().substring("token=".length());
    }

    <T extends AccountMail> T last(Class<T> type) {
        return outbox.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
    }

    LoginResult login(String email, String password) {
        return auth.sessions().login(new Credentials(email, RawPassword.of(password)), "");
    }

    @Nested
    class Verification {

        RegistrationResult.Registered alice;

        @BeforeEach
        void register() {
            alice = (RegistrationResult.Registered) auth.accounts().register(registration("Alice@Example.com"), "");
        }

        @Test
        void registrationMailsALinkBuiltFromTheConfiguredBaseUrl() {
            AccountMail.VerifyEmail mail = last(AccountMail.VerifyEmail.class);
            assertThat(mail.to().display()).isEqualTo("Alice@Example.com");
            assertThat(mail.link().toString()).startsWith("https://app.example.com/verify-email?token=");
            assertThat(mail.validFor()).isEqualTo(Duration.ofHours(48));
        }

        @Test
        void verifyEmailMarksTheAccountVerifiedOnce() {
            String token = tokenOf(last(AccountMail.VerifyEmail.class).link());

            assertThat(auth.accounts().verifyEmail(token)).isEqualTo(new EmailVerificationResult.Verified(alice.userId()));
            assertThat(users.findById(alice.userId()).orElseThrow().emailVerified()).isTrue();
            assertThat(auth.accounts().verifyEmail(token)).isInstanceOf(EmailVerificationResult.InvalidOrExpired.class);
        }

        @Test
        void storeHoldsOnlyTheTokensDigest() {
            String token = tokenOf(last(AccountMail.VerifyEmail.class).link());
            assertThat(tokens.find(SessionToken.parse(token).orElseThrow().digest())).isPresent();
            assertThat(tokens.find(new dev.portcullis.model.TokenDigest("0".repeat(64)))).isEmpty();
        }

        @Test
        void verificationLinkExpiresAfter48Hours() {
            String token = tokenOf(last(AccountMail.VerifyEmail.class).link());
            clock.advance(Duration.ofHours(48));
            assertThat(auth.accounts().verifyEmail(token)).isInstanceOf(EmailVerificationResult.InvalidOrExpired.class);
        }

        @Test
        void twentyConcurrentRedemptionsVerifyExactlyOnce() throws Exception {
            String token = tokenOf(last(AccountMail.VerifyEmail.class).link());
            List<EmailVerificationResult> results = PortcullisTest.Races.run(20, i -> auth.accounts().verifyEmail(token));
            assertThat(results).filteredOn(r -> r instanceof EmailVerificationResult.Verified).hasSize(1);
        }

        @Test
        void garbageTokensAreInvalidNotErrors() {
            assertThat(auth.accounts().verifyEmail(null)).isInstanceOf(EmailVerificationResult.InvalidOrExpired.class);
            assertThat(auth.accounts().verifyEmail("' OR '1'='1")).isInstanceOf(EmailVerificationResult.InvalidOrExpired.class);
            assertThat(auth.accounts().verifyEmail("x".repeat(100_000))).isInstanceOf(EmailVerificationResult.InvalidOrExpired.class);
        }

        @Test
        void resendRespectsTheCooldownAndSaysTheSameForUnknownAddresses() {
            outbox.clear();
            assertThat(auth.accounts().resendVerification("alice@example.com")).isInstanceOf(MailRequestResult.Accepted.class);
            assertThat(auth.accounts().resendVerification("alice@example.com")).isInstanceOf(MailRequestResult.Accepted.class);
            assertThat(outbox).hasSize(1);
            clock.advance(Duration.ofSeconds(60));
            auth.accounts().resendVerification("alice@example.com");
            assertThat(outbox).hasSize(2);
            assertThat(auth.accounts().resendVerification("nobody@example.com")).isInstanceOf(MailRequestResult.Accepted.class);
            assertThat(outbox).hasSize(2);
            assertThat(auth.accounts().resendVerification("nope")).isInstanceOf(MailRequestResult.Invalid.class);
        }

        @Test
        void verificationIsOptionalForLoginByDefaultButCanBeRequired() {
            assertThat(login("alice@example.com", PASSWORD)).isInstanceOf(LoginResult.Success.class);
            Portcullis strict = builder().requireVerifiedEmail(true).build();
            assertThat(strict.sessions().login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ""))
                    .isInstanceOf(LoginResult.EmailNotVerified.class);
        }
    }

    @Nested
    class VerifyFirstRegistration {

        Portcullis verifyFirst = builder().registrationMode(RegistrationMode.VERIFY_FIRST).build();

        @Test
        void newAndTakenAddressesGetTheSameAnswer() {
            assertThat(verifyFirst.accounts().register(registration("bob@example.com"), ""))
                    .isEqualTo(new RegistrationResult.VerificationSent());
            assertThat(outbox).singleElement().isInstanceOf(AccountMail.VerifyEmail.class);
            verifyFirst.accounts().verifyEmail(tokenOf(last(AccountMail.VerifyEmail.class).link()));
            StoredUser bob = users.findByEmail(EmailAddress.of("bob@example.com")).orElseThrow();

            assertThat(verifyFirst.accounts().register(new Registration("BOB@example.com", RawPassword.of(NEW_PASSWORD),
                    RawPassword.of(NEW_PASSWORD)), "")).isEqualTo(new RegistrationResult.VerificationSent());

            AccountMail.RegistrationAttempted notice = last(AccountMail.RegistrationAttempted.class);
            assertThat(notice.to().display()).isEqualTo("bob@example.com");
            assertThat(notice.resetLink()).hasToString("https://app.example.com/forgot-password");
            assertThat(users.findById(bob.id()).orElseThrow()).as("the account is untouched").isEqualTo(bob);
        }

        @Test
        void aNewerSignUpOverAPendingAccountTakesItOverAndKillsOlderLinks() {
            verifyFirst.accounts().register(registration("eve@example.com"), "");
            String attackersLink = tokenOf(last(AccountMail.VerifyEmail.class).link());
            clock.advance(Duration.ofMinutes(2));

            verifyFirst.accounts().register(new Registration("eve@example.com", RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), "");
            String ownersLink = tokenOf(last(AccountMail.VerifyEmail.class).link());

            assertThat(verifyFirst.accounts().verifyEmail(attackersLink)).isInstanceOf(EmailVerificationResult.InvalidOrExpired.class);
            assertThat(verifyFirst.accounts().verifyEmail(ownersLink)).isInstanceOf(EmailVerificationResult.Verified.class);
            assertThat(verifyFirst.sessions().login(new Credentials("eve@example.com", RawPassword.of(PASSWORD)), ""))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(verifyFirst.sessions().login(new Credentials("eve@example.com", RawPassword.of(NEW_PASSWORD)), ""))
                    .isInstanceOf(LoginResult.Success.class);
        }

        @Test
        void loginWorksOnlyAfterVerification() {
            verifyFirst.accounts().register(registration("bob@example.com"), "");
            assertThat(verifyFirst.sessions().login(new Credentials("bob@example.com", RawPassword.of(PASSWORD)), ""))
                    .isInstanceOf(LoginResult.EmailNotVerified.class);
            assertThat(verifyFirst.sessions().login(new Credentials("bob@example.com", RawPassword.of("wrong wrong wrong wrong")), ""))
                    .as("not-verified is only revealed after a correct password").isInstanceOf(LoginResult.InvalidCredentials.class);

            verifyFirst.accounts().verifyEmail(tokenOf(last(AccountMail.VerifyEmail.class).link()));
            assertThat(verifyFirst.sessions().login(new Credentials("bob@example.com", RawPassword.of(PASSWORD)), ""))
                    .isInstanceOf(LoginResult.Success.class);
        }

        @Test
        void verifyFirstWithoutAMailerIsAConfigurationError() {
            assertThatThrownBy(() -> Portcullis.builder().stores(Stores.of(users, sessions, new InMemoryAttemptStore())).passwordHasher(HASHER)
                    .registrationMode(RegistrationMode.VERIFY_FIRST).build()).hasMessageContaining("VERIFY_FIRST needs mail");
        }
    }

    @Nested
    class PasswordReset {

        RegistrationResult.Registered alice;

        @BeforeEach
        void register() {
            alice = (RegistrationResult.Registered) auth.accounts().register(registration("alice@example.com"), "");
            outbox.clear();
        }

        String requestToken(String typed) {
            assertThat(auth.passwordResets().request(typed, "")).isInstanceOf(MailRequestResult.Accepted.class);
            return tokenOf(last(AccountMail.PasswordReset.class).link());
        }

        PasswordResetResult reset(String token, String password) {
            return auth.passwordResets().reset(token, RawPassword.of(password), RawPassword.of(password), "");
        }

        @Test
        void unknownAddressGetsTheSameAnswerAndNoMail() {
            assertThat(auth.passwordResets().request("nobody@example.com", "")).isEqualTo(new MailRequestResult.Accepted());
            assertThat(outbox).isEmpty();
        }

        @Test
        void mailGoesToTheStoredAddressNeverTheTypedSpelling() {
            requestToken("  ALICE@EXAMPLE.COM ");
            assertThat(last(AccountMail.PasswordReset.class).to().display()).isEqualTo("alice@example.com");

            outbox.clear();
            clock.advance(Duration.ofMinutes(1));
            auth.passwordResets().request("al\u0131ce@example.com", "");
            assertThat(outbox).as("dotless i is another address").isEmpty();
        }

        @Test
        void resetSetsThePasswordRevokesEverythingAndNotifies() {
            RememberMeToken remembered = auth.rememberMe().issue(alice.session()).orElseThrow();
            String token = requestToken("alice@example.com");

            assertThat(reset(token, NEW_PASSWORD)).isEqualTo(new PasswordResetResult.Reset(alice.userId()));

            assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
            assertThat(auth.rememberMe().resume(remembered, "")).isInstanceOf(RememberMeResult.Invalid.class);
            assertThat(login("alice@example.com", PASSWORD)).isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(login("alice@example.com", NEW_PASSWORD)).isInstanceOf(LoginResult.Success.class);
            assertThat(last(AccountMail.PasswordChanged.class).to().display()).isEqualTo("alice@example.com");
            assertThat(reset(token, "another fine passphrase here")).isInstanceOf(PasswordResetResult.InvalidOrExpired.class);
        }

        @Test
        void resetRevokesEveryOtherOutstandingResetToken() {
            String first = requestToken("alice@example.com");
            clock.advance(Duration.ofMinutes(1));
            String second = requestToken("alice@example.com");

            reset(second, NEW_PASSWORD);
            assertThat(auth.passwordResets().isValid(first)).isFalse();
            assertThat(reset(first, "another fine passphrase here")).isInstanceOf(PasswordResetResult.InvalidOrExpired.class);
        }

        @Test
        void weakPasswordIsAFieldErrorAndKeepsTheTokenUsable() {
            String token = requestToken("alice@example.com");

            PasswordResetResult result = auth.passwordResets().reset(token, RawPassword.of("short"), RawPassword.of("short"), "");
            assertThat(((PasswordResetResult.Invalid) result).errors().messagesFor("password")).isNotEmpty();
            assertThat(((PasswordResetResult.Invalid) auth.passwordResets().reset(token, RawPassword.of(NEW_PASSWORD),
                    RawPassword.of(NEW_PASSWORD + "!"), "")).errors().messagesFor("confirmPassword")).isNotEmpty();
            assertThat(reset(token, NEW_PASSWORD)).isInstanceOf(PasswordResetResult.Reset.class);
        }

        @Test
        void linkExpiresAfterThirtyMinutesAndNeverMailsByItself() {
            String token = requestToken("alice@example.com");
            clock.advance(Duration.ofMinutes(30));
            outbox.clear();
            assertThat(auth.passwordResets().isValid(token)).isFalse();
            assertThat(reset(token, NEW_PASSWORD)).isInstanceOf(PasswordResetResult.InvalidOrExpired.class);
            assertThat(outbox).isEmpty();
        }

        @Test
        void tokenDiesWhenThePasswordChangesMeanwhile() {
            String token = requestToken("alice@example.com");
            auth.accounts().changePassword(alice.session(), new PasswordChange(RawPassword.of(PASSWORD), RawPassword.of(NEW_PASSWORD),
                    RawPassword.of(NEW_PASSWORD)), "");
            assertThat(reset(token, "another fine passphrase here")).isInstanceOf(PasswordResetResult.InvalidOrExpired.class);
        }

        @Test
        void tokenForAnotherPurposeIsRefused() {
            auth.accounts().resendVerification("alice@example.com");
            String verifyToken = tokenOf(last(AccountMail.VerifyEmail.class).link());
            assertThat(reset(verifyToken, NEW_PASSWORD)).isInstanceOf(PasswordResetResult.InvalidOrExpired.class);
            assertThat(auth.accounts().verifyEmail(verifyToken)).as("still usable for its own purpose")
                    .isInstanceOf(EmailVerificationResult.Verified.class);
        }

        @Test
        void aResetMarksTheAddressVerified() {
            reset(requestToken("alice@example.com"), NEW_PASSWORD);
            assertThat(users.findById(alice.userId()).orElseThrow().emailVerified()).isTrue();
        }

        @Test
        void aThrottledAccountCanStillResetAndTheResetClearsTheThrottle() {
            for (int i = 0; i < 6; i++) {
                login("alice@example.com", "wrong wrong wrong wrong");
            }
            assertThat(login("alice@example.com", PASSWORD)).isInstanceOf(LoginResult.Throttled.class);

            reset(requestToken("alice@example.com"), NEW_PASSWORD);
            assertThat(login("alice@example.com", NEW_PASSWORD)).isInstanceOf(LoginResult.Success.class);
        }

        @Test
        void requestsAreRateLimitedPerAccount() {
            auth.passwordResets().request("alice@example.com", "");
            auth.passwordResets().request("alice@example.com", "");
            assertThat(outbox).hasSize(1);
        }
    }

    @Nested
    class EmailChange {

        RegistrationResult.Registered alice;

        @BeforeEach
        void register() {
            alice = (RegistrationResult.Registered) auth.accounts().register(registration("alice@example.com"), "");
            outbox.clear();
        }

        @Test
        void changeHappensOnlyWhenTheNewAddressConfirms() {
            assertThat(auth.accounts().requestEmailChange(alice.session(), "Alice.New@example.org", RawPassword.of(PASSWORD), ""))
                    .isEqualTo(new EmailChangeResult.ConfirmationSent());
            AccountMail.ConfirmEmailChange confirm = last(AccountMail.ConfirmEmailChange.class);
            assertThat(confirm.to().display()).isEqualTo("Alice.New@example.org");
            assertThat(last(AccountMail.EmailChangeRequested.class).to().display()).isEqualTo("alice@example.com");
            assertThat(users.findById(alice.userId()).orElseThrow().email().canonical()).isEqualTo("alice@example.com");

            assertThat(auth.accounts().confirmEmailChange(tokenOf(confirm.link()), ""))
                    .isEqualTo(new ConfirmEmailChangeResult.Changed(alice.userId(), EmailAddress.of("alice.new@example.org")));

            assertThat(login("alice.new@example.org", PASSWORD)).isInstanceOf(LoginResult.Success.class);
            assertThat(login("alice@example.com", PASSWORD)).isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(last(AccountMail.EmailChanged.class).to().display()).isEqualTo("alice@example.com");
            assertThat(auth.sessions().currentUser(alice.session())).as("sessions end on an email change").isEmpty();
        }

        @Test
        void anAddressHeldByAnotherAccountGetsNoMailAndTheAnswerIsTheSame() {
            auth.accounts().register(registration("bob@example.com"), "");
            outbox.clear();
            assertThat(auth.accounts().requestEmailChange(alice.session(), "bob@example.com", RawPassword.of(PASSWORD), ""))
                    .isEqualTo(new EmailChangeResult.ConfirmationSent());
            assertThat(outbox).isEmpty();
        }

        @Test
        void uniquenessStillHoldsWhenTheAddressIsTakenBeforeConfirmation() {
            auth.accounts().requestEmailChange(alice.session(), "new@example.org", RawPassword.of(PASSWORD), "");
            String token = tokenOf(last(AccountMail.ConfirmEmailChange.class).link());
            auth.accounts().register(registration("new@example.org"), "");

            assertThat(auth.accounts().confirmEmailChange(token, "")).isInstanceOf(ConfirmEmailChangeResult.EmailTaken.class);
            assertThat(users.findById(alice.userId()).orElseThrow().email().canonical()).isEqualTo("alice@example.com");
        }

        @Test
        void badInputIsAFieldError() {
            assertThat(auth.accounts().requestEmailChange(alice.session(), "", RawPassword.of(PASSWORD), "")).isInstanceOf(EmailChangeResult.Invalid.class);
            assertThat(auth.accounts().requestEmailChange(alice.session(), "not an email", RawPassword.of(PASSWORD), "")).isInstanceOf(EmailChangeResult.Invalid.class);
            assertThat(auth.accounts().requestEmailChange(alice.session(), "ALICE@example.com", RawPassword.of(PASSWORD), "")).isInstanceOf(EmailChangeResult.Invalid.class);
        }

        @Test
        void aNewAddressMixingScriptsIsAFieldErrorAndSendsNothing() {
            EmailChangeResult result = auth.accounts().requestEmailChange(alice.session(), "\u0430lice@example.com",
                    RawPassword.of(PASSWORD), "");

            assertThat(((EmailChangeResult.Invalid) result).errors().messagesFor("email")).singleElement().asString()
                    .contains("one alphabet");
            assertThat(outbox).isEmpty();
        }

        @Test
        void theCurrentPasswordIsRequiredAndWrongOnesAreThrottled() {
            EmailChangeResult missing = auth.accounts().requestEmailChange(alice.session(), "new@example.org", RawPassword.of(""), "");
            assertThat(((EmailChangeResult.Invalid) missing).errors().messagesFor("currentPassword")).isNotEmpty();
            for (int i = 0; i < 5; i++) {
                EmailChangeResult wrong = auth.accounts().requestEmailChange(alice.session(), "new@example.org",
                        RawPassword.of("not my password at all"), "");
                assertThat(((EmailChangeResult.Invalid) wrong).errors().messagesFor("currentPassword"))
                        .containsExactly("Your current password is not correct.");
            }
            assertThat(auth.accounts().requestEmailChange(alice.session(), "new@example.org", RawPassword.of(PASSWORD), ""))
                    .isInstanceOf(EmailChangeResult.Throttled.class);
            assertThat(outbox).isEmpty();
        }
    }

    @Nested
    class MailRequestBudget {

        static final String CLIENT = "203.0.113.50";
        RegistrationResult.Registered alice;

        @BeforeEach
        void register() {
            alice = (RegistrationResult.Registered) auth.accounts().register(registration("alice@example.com"), "");
            outbox.clear();
        }

        @Test
        void resendResetAndEmailChangeShareOnePerAddressBudget() {
            // Issue 12 item 5: one address sent 30 reset mails to 30 accounts in 2 s.
            for (int i = 0; i < 4; i++) {
                assertThat(auth.passwordResets().request("victim" + i + "@example.com", CLIENT)).isEqualTo(new MailRequestResult.Accepted());
                assertThat(auth.accounts().resendVerification("victim" + i + "@example.com", CLIENT)).isEqualTo(new MailRequestResult.Accepted());
            }
            assertThat(auth.accounts().requestEmailChange(alice.session(), "a1@example.org", RawPassword.of(PASSWORD), CLIENT))
                    .isEqualTo(new EmailChangeResult.ConfirmationSent());
            clock.advance(Duration.ofMinutes(2));
            assertThat(auth.accounts().requestEmailChange(alice.session(), "a2@example.org", RawPassword.of(PASSWORD), CLIENT))
                    .isEqualTo(new EmailChangeResult.ConfirmationSent());
            int sent = outbox.size();

            Duration left = Duration.ofMinutes(13);
            assertThat(auth.passwordResets().request("alice@example.com", CLIENT)).isEqualTo(new MailRequestResult.Throttled(left));
            assertThat(auth.accounts().resendVerification("alice@example.com", CLIENT)).isEqualTo(new MailRequestResult.Throttled(left));
            assertThat(auth.accounts().requestEmailChange(alice.session(), "a3@example.org", RawPassword.of(PASSWORD), CLIENT))
                    .isEqualTo(new EmailChangeResult.Throttled(left));
            assertThat(outbox).as("nothing sent once throttled").hasSize(sent);
            assertThat(auth.passwordResets().request("not an address", CLIENT)).as("bad input is still a field error")
                    .isInstanceOf(MailRequestResult.Invalid.class);

            assertThat(auth.passwordResets().request("alice@example.com", "198.51.100.1")).as("another address")
                    .isEqualTo(new MailRequestResult.Accepted());
            assertThat(last(AccountMail.PasswordReset.class).to().display()).isEqualTo("alice@example.com");
            clock.advance(left);
            assertThat(auth.accounts().resendVerification("alice@example.com", CLIENT)).as("the next window")
                    .isEqualTo(new MailRequestResult.Accepted());
        }

        @Test
        void theBudgetIsConfigurable() {
            Portcullis strict = builder().throttlePolicy(dev.portcullis.policy.ThrottlePolicy.builder()
                    .mailRequestLimit(1).mailRequestWindow(Duration.ofHours(1)).build()).build();

            assertThat(strict.passwordResets().request("alice@example.com", CLIENT)).isEqualTo(new MailRequestResult.Accepted());
            assertThat(strict.passwordResets().request("alice@example.com", CLIENT))
                    .isEqualTo(new MailRequestResult.Throttled(Duration.ofHours(1)));
        }
    }
}
