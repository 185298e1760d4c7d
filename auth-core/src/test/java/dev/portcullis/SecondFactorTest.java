package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.MailRequestResult;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.internal.Base32;
import dev.portcullis.internal.Totp;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.mfa.FactorChangeResult;
import dev.portcullis.mfa.RecoveryCodes;
import dev.portcullis.mfa.TotpSetup;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SecondFactor;
import dev.portcullis.model.SessionToken;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.LogoutOthersResult;
import dev.portcullis.session.ReauthenticationResult;
import dev.portcullis.session.RememberMeResult;
import dev.portcullis.session.SecondFactorResult;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.token.AccessTokenKeys;
import dev.portcullis.token.ApiKeyResult;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenIssueResult;
import dev.portcullis.token.TokenSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Two-factor sign-in through the public API, on in-memory stores: every way in, step-up, policy. */
class SecondFactorTest {

    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String NEW_PASSWORD = "copper lantern orchard ninety";
    static final String ADDRESS = "203.0.113.9";
    static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    MutableClock clock = MutableClock.startingAt("2030-01-01T10:00:05Z");
    InMemorySecondFactorStore factorStore = new InMemorySecondFactorStore();
    InMemoryPendingSignInStore pendingStore = new InMemoryPendingSignInStore();
    List<AccountMail> mails = new CopyOnWriteArrayList<>();
    List<AuthEvent> events = new CopyOnWriteArrayList<>();
    Stores stores = InMemoryStores.create().withSecondFactors(factorStore, pendingStore);
    Portcullis auth = build(SecondFactorPolicy.defaults(), KEY);
    RegistrationResult.Registered alice;
    byte[] aliceSecret;
    RecoveryCodes aliceCodes;

    Portcullis build(SecondFactorPolicy policy, byte[] key) {
        return Portcullis.builder().stores(stores).secondFactorKey(key).secondFactorPolicy(policy)
                .passwordHasher(new FastHasher()).clock(clock).serviceName("Acme Corp")
                .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com")))
                        .withExecutor(Runnable::run))
                .tokens(TokenSettings.builder().keys(AccessTokenKeys.of(SigningKey.hmac("h1", KEY.clone())))
                        .issuer("https://auth.example.com").audience("https://api.example.com").build())
                .eventListener(events::add)
                .build();
    }

    RegistrationResult.Registered register(String email) {
        return (RegistrationResult.Registered) auth.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
    }

    /** Enrols from the session and returns the secret as the test's authenticator app holds it. */
    byte[] enrol(SessionToken session) {
        TotpSetup setup = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(session, ADDRESS)).setup();
        byte[] secret = Base32.decode(setup.secret());
        EnrolmentResult confirmed = auth.secondFactors().confirmEnrolment(session, code(secret), ADDRESS);
        aliceCodes = ((EnrolmentResult.Enrolled) confirmed).recoveryCodes();
        return secret;
    }

    String code(byte[] secret) {
        return Totp.code(secret, Totp.step(clock.instant()));
    }

    /** The next step's code, a step later on the clock: a code that was never used. */
    String nextCode(byte[] secret) {
        clock.advance(Duration.ofSeconds(30));
        return code(secret);
    }

    LoginResult login(String email) {
        return auth.sessions().login(new Credentials(email, RawPassword.of(PASSWORD)), ADDRESS);
    }

    String handle() {
        return ((LoginResult.SecondFactorRequired) login("alice@example.com")).handle();
    }

    SecondFactorResult.Success signIn() {
        String h = handle();
        return (SecondFactorResult.Success) auth.sessions().completeSignIn(h, nextCode(aliceSecret), ADDRESS,
                Optional.empty());
    }

    @BeforeEach
    void aliceEnrols() {
        alice = register("alice@example.com");
        aliceSecret = enrol(alice.session());
    }

    @Nested
    class Enrolment {

        @Test
        void theUriNamesTheServiceAndTheAccountAndTheSecretIsSealedAtRest() {
            RegistrationResult.Registered bob = register("bob+mfa@example.com");
            TotpSetup setup = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(bob.session(), ADDRESS))
                    .setup();

            assertThat(setup.uri()).isEqualTo("otpauth://totp/Acme%20Corp:bob%2Bmfa%40example.com?secret=" + setup.secret()
                    + "&issuer=Acme%20Corp&algorithm=SHA1&digits=6&period=30");
            assertThat(Base32.decode(setup.secret())).hasSize(20);
            String sealed = factorStore.findTotp(bob.userId()).orElseThrow().sealedSecret();
            assertThat(sealed).startsWith("v1.").doesNotContain(setup.secret());
            assertThat(setup.toString()).doesNotContain(setup.secret());
            assertThat(factorStore.findTotp(bob.userId()).orElseThrow().toString()).doesNotContain(sealed);
        }

        @Test
        void anUnconfirmedEnrolmentIsNoSecondFactor() {
            RegistrationResult.Registered bob = register("bob@example.com");
            auth.secondFactors().startEnrolment(bob.session(), ADDRESS);

            assertThat(login("bob@example.com")).isInstanceOf(LoginResult.Success.class);
            assertThat(auth.secondFactors().status(bob.userId()).authenticatorApp()).isFalse();
        }

        @Test
        void theConfirmingCodeCountsAsUsed() {
            RegistrationResult.Registered bob = register("bob@example.com");
            TotpSetup setup = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(bob.session(), ADDRESS))
                    .setup();
            byte[] secret = Base32.decode(setup.secret());
            String first = code(secret);
            assertThat(auth.secondFactors().confirmEnrolment(bob.session(), "000000".equals(first) ? "111111" : "000000",
                    ADDRESS)).isInstanceOf(EnrolmentResult.WrongCode.class);
            assertThat(auth.secondFactors().confirmEnrolment(bob.session(), first, ADDRESS))
                    .isInstanceOf(EnrolmentResult.Enrolled.class);

            String h = ((LoginResult.SecondFactorRequired) login("bob@example.com")).handle();
            assertThat(auth.sessions().completeSignIn(h, first, ADDRESS, Optional.empty()))
                    .as("the enrolment's code again").isInstanceOf(SecondFactorResult.WrongCode.class);
        }

        @Test
        void confirmingGivesTenRecoveryCodesOfFiftyBitsShownOnceAndMailsTheOwner() {
            assertThat(aliceCodes.codes()).hasSize(10).doesNotHaveDuplicates()
                    .allMatch(c -> c.matches("[a-z2-7]{5}-[a-z2-7]{5}"));
            assertThat(aliceCodes.toString()).doesNotContain(aliceCodes.codes().get(0));
            assertThat(factorStore.countRecoveryCodes(alice.userId())).isEqualTo(10);
            assertThat(mails).filteredOn(m -> m instanceof AccountMail.SecondFactorAdded).hasSize(1);
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.SECOND_FACTOR_ENROLLED);
            assertThat(auth.secondFactors().startEnrolment(alice.session(), ADDRESS))
                    .isInstanceOf(EnrolmentStartResult.AlreadyEnrolled.class);
        }

        @Test
        void badInputToConfirmationIsAClearResult() {
            RegistrationResult.Registered bob = register("bob@example.com");
            assertThat(auth.secondFactors().confirmEnrolment(bob.session(), "123456", ADDRESS))
                    .isInstanceOf(EnrolmentResult.NotStarted.class);
            auth.secondFactors().startEnrolment(bob.session(), ADDRESS);
            for (String bad : new String[] {null, "", "12 34", "\u0661\u0662\u0663\u0664\u0665\u0666", "9".repeat(5000)}) {
                assertThat(auth.secondFactors().confirmEnrolment(bob.session(), bad, ADDRESS))
                        .isInstanceOf(EnrolmentResult.Invalid.class);
            }
        }

        @Test
        void withoutTheStoresSecondFactorsAreOffAndLoginIsAsBefore() {
            Portcullis plain = Portcullis.builder().stores(InMemoryStores.create()).passwordHasher(new FastHasher())
                    .clock(clock).build();
            plain.accounts().register(new Registration("carol@example.com", RawPassword.of(PASSWORD),
                    RawPassword.of(PASSWORD)), ADDRESS);

            assertThat(plain.secondFactors().enabled()).isFalse();
            assertThat(plain.sessions().login(new Credentials("carol@example.com", RawPassword.of(PASSWORD)), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
            assertThatThrownBy(() -> plain.secondFactors().startEnrolment("x"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("withSecondFactors");
        }

        @Test
        void theKeyIsRequiredWithTheStoresAndOnlyWithThem() {
            assertThatThrownBy(() -> Portcullis.builder().stores(stores).passwordHasher(new FastHasher()).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("secondFactorKey");
            assertThatThrownBy(() -> Portcullis.builder().stores(InMemoryStores.create()).secondFactorKey(KEY)
                    .passwordHasher(new FastHasher()).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("withSecondFactors");
            assertThatThrownBy(() -> Portcullis.builder().secondFactorKey(new byte[16]))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aSecretSealedUnderAnotherKeyDoesNotOpen() {
            auth = build(SecondFactorPolicy.defaults(), new byte[32]);
            String h = handle();

            assertThat(auth.sessions().completeSignIn(h, nextCode(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.WrongCode.class);
        }
    }

    @Nested
    class PendingSignIn {

        @Test
        void aRightPasswordGivesAHandleAndNoSession() {
            int sessionsBefore = auth.sessions().activeSessions(alice.userId()).size();

            LoginResult result = login("alice@example.com");

            assertThat(result).isInstanceOf(LoginResult.SecondFactorRequired.class);
            LoginResult.SecondFactorRequired required = (LoginResult.SecondFactorRequired) result;
            assertThat(required.factors()).containsExactlyInAnyOrder(SecondFactor.AUTHENTICATOR_APP,
                    SecondFactor.RECOVERY_CODE);
            assertThat(required.handle()).hasSize(43);
            assertThat(required.toString()).doesNotContain(required.handle());
            assertThat(auth.sessions().activeSessions(alice.userId())).hasSize(sessionsBefore);
            assertThat(pendingStore.find(new SessionToken(required.handle()).digest())).isPresent();
        }

        @Test
        void aWrongPasswordIsStillInvalidCredentials() {
            assertThat(auth.sessions().login(new Credentials("alice@example.com", RawPassword.of("wrong password here!")),
                    ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
        }

        @Test
        void theCurrentCodeCompletesTheSignInWithBothProofs() {
            SecondFactorResult.Success ok = signIn();

            assertThat(ok.user().id()).isEqualTo(alice.userId());
            assertThat(auth.sessions().currentUser(ok.session())).isPresent();
            assertThat(auth.sessions().recentlyAuthenticated(ok.session())).isTrue();
            assertThat(ok.device()).isNotNull();
        }

        @Test
        void theSameCodeOrAnOlderOneIsRefused() {
            String h1 = handle();
            String current = nextCode(aliceSecret);
            assertThat(auth.sessions().completeSignIn(h1, current, ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.Success.class);

            String h2 = handle();
            assertThat(auth.sessions().completeSignIn(h2, current, ADDRESS, Optional.empty()))
                    .as("replay").isInstanceOf(SecondFactorResult.WrongCode.class);
            String older = Totp.code(aliceSecret, Totp.step(clock.instant()) - 1);
            assertThat(auth.sessions().completeSignIn(h2, older, ADDRESS, Optional.empty()))
                    .as("the step before, still inside the drift window").isInstanceOf(SecondFactorResult.WrongCode.class);
        }

        @Test
        void aHandleIsSingleUse() {
            String h = handle();
            assertThat(auth.sessions().completeSignIn(h, nextCode(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.Success.class);

            assertThat(auth.sessions().completeSignIn(h, nextCode(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.InvalidHandle.class);
        }

        @Test
        void aHandleExpiresAfterFiveMinutes() {
            String h = handle();
            clock.advance(Duration.ofMinutes(5).plusSeconds(1));

            assertThat(auth.sessions().completeSignIn(h, code(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.InvalidHandle.class);
        }

        @Test
        void unknownAndMalformedHandlesGetTheSameAnswer() {
            for (String h : new String[] {null, "", "x", "A".repeat(43), "A".repeat(5000), "\u0000".repeat(43)}) {
                assertThat(auth.sessions().completeSignIn(h, code(aliceSecret), ADDRESS, Optional.empty()))
                        .isInstanceOf(SecondFactorResult.InvalidHandle.class);
            }
        }

        @Test
        void aHandleTakesAtMostFiveCodes() {
            String h = handle();
            String right = nextCode(aliceSecret);
            String wrong = right.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 5; i++) {
                assertThat(auth.sessions().completeSignIn(h, wrong, "198.51.100." + i, Optional.empty()))
                        .isInstanceOf(SecondFactorResult.WrongCode.class);
            }

            assertThat(auth.sessions().completeSignIn(h, right, ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.InvalidHandle.class);
        }

        @Test
        void aPasswordChangeMeanwhileKillsTheHandle() {
            String h = handle();
            SecondFactorResult.Success other = signIn();
            assertThat(auth.accounts().changePassword(other.session(), new PasswordChange(RawPassword.of(PASSWORD),
                    RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), ADDRESS))
                    .isInstanceOf(ChangePasswordResult.Changed.class);

            assertThat(auth.sessions().completeSignIn(h, nextCode(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.InvalidHandle.class);
        }

        @Test
        void badCodesAreAClearResultAndNotCounted() {
            String h = handle();
            for (String bad : new String[] {null, "", "     ", "12345", "1234567", "abcdef", "12345\u0661",
                    "\u0661\u0662\u0663\u0664\u0665\u0666", "\uff11\uff12\uff13\uff14\uff15\uff16", "1".repeat(100_000),
                    "<script>", "123456; DROP TABLE"}) {
                assertThat(auth.sessions().completeSignIn(h, bad, ADDRESS, Optional.empty()))
                        .isInstanceOf(SecondFactorResult.Invalid.class)
                        .satisfies(r -> assertThat(((SecondFactorResult.Invalid) r).errors().messagesFor("code")).isNotEmpty());
            }
            assertThat(pendingStore.find(new SessionToken(h).digest()).orElseThrow().attempts()).isZero();
            assertThat(auth.sessions().completeSignIn(h, nextCode(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.Success.class);
        }

        @Test
        void aCodeOfAnotherAccountIsWrong() {
            RecoveryCodes alices = aliceCodes;
            RegistrationResult.Registered bob = register("bob@example.com");
            byte[] bobSecret = enrol(bob.session());
            String h = handle();

            assertThat(auth.sessions().completeSignIn(h, nextCode(bobSecret), ADDRESS, Optional.empty()))
                    .isInstanceOfAny(SecondFactorResult.WrongCode.class, SecondFactorResult.Success.class)
                    .satisfies(r -> {
                        if (r instanceof SecondFactorResult.Success s) {
                            // Only if both apps happen to show the same six digits (one in a million).
                            assertThat(Totp.code(aliceSecret, Totp.step(clock.instant())))
                                    .isEqualTo(Totp.code(bobSecret, Totp.step(clock.instant())));
                        }
                    });
            String bobCode = alices.codes().get(0);
            String bobHandle = ((LoginResult.SecondFactorRequired) login("bob@example.com")).handle();
            assertThat(auth.sessions().completeSignIn(bobHandle, bobCode, ADDRESS, Optional.empty()))
                    .as("alice's recovery code on bob's sign-in").isInstanceOf(SecondFactorResult.WrongCode.class);
        }

        @Test
        void twentyRacingSignInsWithOneCodeGiveOneSession() throws Exception {
            String current = nextCode(aliceSecret);
            List<String> handles = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                handles.add(handle());
            }

            List<SecondFactorResult> results = PortcullisTest.Races.run(20,
                    i -> auth.sessions().completeSignIn(handles.get(i), current, "198.51.100." + i, Optional.empty()));

            assertThat(results).filteredOn(r -> r instanceof SecondFactorResult.Success).hasSize(1);
        }

        @Test
        void eventsAndTheirTextCarryNoCode() {
            String h = handle();
            String right = nextCode(aliceSecret);
            auth.sessions().completeSignIn(h, "000000".equals(right) ? "111111" : "000000", ADDRESS, Optional.empty());
            auth.sessions().completeSignIn(h, right, ADDRESS, Optional.empty());

            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.SECOND_FACTOR_REQUIRED,
                    AuthEventType.SECOND_FACTOR_FAILED);
            assertThat(events.toString()).doesNotContain(right, h, Base32.encode(aliceSecret));
        }
    }

    @Nested
    class RecoveryCodeUse {

        @Test
        void aRecoveryCodeSignsInOnceInAnySpellingAndMailsTheOwner() {
            String code = aliceCodes.codes().get(3);
            String h = handle();
            assertThat(auth.sessions().completeSignIn(h, " " + code.toUpperCase().replace("-", " - ") + " ", ADDRESS,
                    Optional.empty())).isInstanceOf(SecondFactorResult.Success.class);

            assertThat(auth.sessions().completeSignIn(handle(), code, ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.WrongCode.class);
            assertThat(factorStore.countRecoveryCodes(alice.userId())).isEqualTo(9);
            assertThat(mails).filteredOn(m -> m instanceof AccountMail.RecoveryCodeUsed)
                    .singleElement().satisfies(m -> assertThat(((AccountMail.RecoveryCodeUsed) m).remaining()).isEqualTo(9));
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.RECOVERY_CODE_USED);
        }

        @Test
        void twentyRacingUsesOfOneRecoveryCodeSucceedOnce() throws Exception {
            String code = aliceCodes.codes().get(0);
            List<String> handles = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                handles.add(handle());
            }

            List<SecondFactorResult> results = PortcullisTest.Races.run(20,
                    i -> auth.sessions().completeSignIn(handles.get(i), code, "198.51.100." + i, Optional.empty()));

            assertThat(results).filteredOn(r -> r instanceof SecondFactorResult.Success).hasSize(1);
        }

        @Test
        void regeneratingVoidsTheOldSet() {
            SecondFactorResult.Success ok = signIn();
            FactorChangeResult.Changed fresh = (FactorChangeResult.Changed) auth.secondFactors()
                    .regenerateRecoveryCodes(ok.session(), ADDRESS);

            assertThat(fresh.recoveryCodes().codes()).hasSize(10).doesNotContainAnyElementsOf(aliceCodes.codes());
            assertThat(auth.sessions().completeSignIn(handle(), aliceCodes.codes().get(1), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.WrongCode.class);
            assertThat(auth.sessions().completeSignIn(handle(), fresh.recoveryCodes().codes().get(1), ADDRESS,
                    Optional.empty())).isInstanceOf(SecondFactorResult.Success.class);
        }

        @Test
        void codesAreStoredOnlyAsKeyedDigests() {
            String normalised = aliceCodes.codes().get(0).replace("-", "").toUpperCase();
            assertThat(factorStore.useRecoveryCode(alice.userId(), dev.portcullis.model.TokenDigest.of(normalised)))
                    .as("a plain SHA-256 of the code is not what is stored").isFalse();
        }
    }

    @Nested
    class CodeThrottle {

        String wrong() {
            String right = code(aliceSecret);
            return right.equals("000000") ? "111111" : "000000";
        }

        @Test
        void fiveFreeFailuresThenThrottledWithGrowingDelaysWhileThePasswordStepAnswersNormally() {
            for (int i = 0; i < 5; i++) {
                assertThat(auth.sessions().completeSignIn(handle(), wrong(), ADDRESS, Optional.empty()))
                        .isInstanceOf(SecondFactorResult.WrongCode.class);
            }
            SecondFactorResult throttled = auth.sessions().completeSignIn(handle(), code(aliceSecret), ADDRESS,
                    Optional.empty());
            assertThat(throttled).isInstanceOf(SecondFactorResult.Throttled.class);
            Duration first = ((SecondFactorResult.Throttled) throttled).retryAfter();

            assertThat(login("alice@example.com")).as("the password step is unaffected")
                    .isInstanceOf(LoginResult.SecondFactorRequired.class);
            clock.advance(first);
            assertThat(auth.sessions().completeSignIn(handle(), wrong(), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.WrongCode.class);
            Duration second = ((SecondFactorResult.Throttled) auth.sessions().completeSignIn(handle(), wrong(), ADDRESS,
                    Optional.empty())).retryAfter();
            assertThat(second).isGreaterThan(first);
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.SECOND_FACTOR_THROTTLED);
        }

        @Test
        void aRightCodeResetsTheCount() {
            for (int i = 0; i < 5; i++) {
                auth.sessions().completeSignIn(handle(), wrong(), ADDRESS, Optional.empty());
            }
            signIn();
            for (int i = 0; i < 5; i++) {
                assertThat(auth.sessions().completeSignIn(handle(), wrong(), ADDRESS, Optional.empty()))
                        .isInstanceOf(SecondFactorResult.WrongCode.class);
            }
        }

        @Test
        void wrongPasswordsDoNotThrottleCodesNorCodesPasswords() {
            for (int i = 0; i < 7; i++) {
                auth.sessions().login(new Credentials("alice@example.com", RawPassword.of("not the password at all")),
                        "192.0.2." + i);
            }
            clock.advance(Duration.ofHours(1));
            // The password counter is delayed now, but a right password after the delay resets it;
            // the code counter was never touched.
            assertThat(auth.sessions().completeSignIn(handle(), nextCode(aliceSecret), ADDRESS, Optional.empty()))
                    .isInstanceOf(SecondFactorResult.Success.class);
            for (int i = 0; i < 7; i++) {
                auth.sessions().completeSignIn(handle(), wrong(), ADDRESS, Optional.empty());
            }
            assertThat(login("alice@example.com")).isInstanceOf(LoginResult.SecondFactorRequired.class);
        }
    }

    @Nested
    class EveryWayIn {

        @Test
        void tokenEndpointRefusesThePasswordAloneAndIssuesWithACode() {
            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS))
                    .isInstanceOf(TokenIssueResult.SecondFactorRequired.class);
            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), "", ADDRESS))
                    .isInstanceOf(TokenIssueResult.SecondFactorRequired.class);
            String right = nextCode(aliceSecret);
            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of(PASSWORD)),
                    right.equals("000000") ? "111111" : "000000", ADDRESS)).isInstanceOf(TokenIssueResult.WrongCode.class);
            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), "\u0661\u0662",
                    ADDRESS)).isInstanceOf(TokenIssueResult.Invalid.class);

            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), right, ADDRESS))
                    .isInstanceOf(TokenIssueResult.Issued.class);
            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), right, ADDRESS))
                    .as("replay").isInstanceOf(TokenIssueResult.WrongCode.class);
            assertThat(auth.tokens().issue(new Credentials("alice@example.com", RawPassword.of("a wrong password!!")),
                    right, ADDRESS)).isInstanceOf(TokenIssueResult.InvalidCredentials.class);
        }

        @Test
        void rememberMeIssuedBeforeEnrolmentNoLongerSignsIn() {
            RegistrationResult.Registered bob = register("bob@example.com");
            RememberMeToken before = auth.rememberMe().issue(bob.session()).orElseThrow();
            enrol(bob.session());

            assertThat(auth.rememberMe().resume(before, ADDRESS)).isInstanceOf(RememberMeResult.Invalid.class);
        }

        @Test
        void rememberMeIsIssuedOnlyAfterAFullSignInAndThenResumes() {
            RegistrationResult.Registered bob = register("bob@example.com");
            SessionToken passwordOnly = ((LoginResult.Success) login("bob@example.com")).session();
            enrol(bob.session());

            assertThat(auth.rememberMe().issue(passwordOnly)).as("a session from before the enrolment").isEmpty();
            RememberMeToken token = auth.rememberMe().issue(signIn().session()).orElseThrow();
            clock.advance(Duration.ofDays(2));
            RememberMeResult.Resumed resumed = (RememberMeResult.Resumed) auth.rememberMe().resume(token, ADDRESS);
            assertThat(auth.sessions().recentlyAuthenticated(resumed.session()))
                    .as("a resumed session proved nothing itself").isFalse();
        }

        @Test
        void rememberMeOfAnEnrolmentSinceReplacedNoLongerSignsIn() {
            SecondFactorResult.Success ok = signIn();
            RememberMeToken token = auth.rememberMe().issue(ok.session()).orElseThrow();
            assertThat(auth.secondFactors().removeAuthenticator(ok.session(), ADDRESS))
                    .isInstanceOf(FactorChangeResult.Changed.class);
            aliceSecret = enrol(ok.session());

            assertThat(auth.rememberMe().resume(token, ADDRESS)).isInstanceOf(RememberMeResult.Invalid.class);
        }

        @Test
        void passwordResetResetsButNeverSignsIn() {
            assertThat(auth.passwordResets().request("alice@example.com", ADDRESS)).isInstanceOf(MailRequestResult.Accepted.class);
            String token = linkToken(mails.stream().filter(m -> m instanceof AccountMail.PasswordReset)
                    .map(m -> ((AccountMail.PasswordReset) m).link()).findFirst().orElseThrow());

            PasswordResetResult result = auth.passwordResets().reset(token, RawPassword.of(NEW_PASSWORD),
                    RawPassword.of(NEW_PASSWORD), ADDRESS);

            assertThat(result).isInstanceOf(PasswordResetResult.Reset.class);
            assertThat(auth.sessions().activeSessions(alice.userId())).isEmpty();
            assertThat(auth.sessions().login(new Credentials("alice@example.com", RawPassword.of(NEW_PASSWORD)), ADDRESS))
                    .as("the factor survives the reset").isInstanceOf(LoginResult.SecondFactorRequired.class);
        }

        @Test
        void emailVerificationLinksNeverSignIn() {
            URI link = mails.stream().filter(m -> m instanceof AccountMail.VerifyEmail)
                    .map(m -> ((AccountMail.VerifyEmail) m).link()).findFirst().orElseThrow();
            int before = auth.sessions().activeSessions(alice.userId()).size();

            assertThat(auth.accounts().verifyEmail(linkToken(link)))
                    .isInstanceOf(dev.portcullis.account.EmailVerificationResult.Verified.class);
            assertThat(auth.sessions().activeSessions(alice.userId())).hasSize(before);
            assertThat(login("alice@example.com")).isInstanceOf(LoginResult.SecondFactorRequired.class);
        }

        @Test
        void apiKeysOnlyFromASessionThatProvedEveryFactorRecently() {
            assertThat(auth.apiKeys().create(alice.userId(), "ci", Set.of("read"), Duration.ofDays(30)))
                    .as("the user-id form cannot tell").isInstanceOf(ApiKeyResult.ReauthenticationRequired.class);
            SecondFactorResult.Success ok = signIn();
            assertThat(auth.apiKeys().create(ok.session(), "ci", Set.of("read"), Duration.ofDays(30)))
                    .isInstanceOf(ApiKeyResult.Created.class);

            clock.advance(Duration.ofMinutes(11));
            assertThat(auth.apiKeys().create(ok.session(), "ci", Set.of("read"), Duration.ofDays(30)))
                    .isInstanceOf(ApiKeyResult.ReauthenticationRequired.class);
            assertThat(auth.apiKeys().create(new SessionToken("B".repeat(43)), "ci", Set.of(), Duration.ofDays(30)))
                    .isInstanceOf(ApiKeyResult.NotAuthenticated.class);
        }

        @Test
        void registrationSessionsBeforeEnrolmentCannotCreateApiKeysAfterIt() {
            RegistrationResult.Registered bob = register("bob@example.com");
            SessionToken other = ((LoginResult.Success) login("bob@example.com")).session();
            enrol(bob.session());

            assertThat(auth.apiKeys().create(other, "ci", Set.of(), Duration.ofDays(30)))
                    .isInstanceOf(ApiKeyResult.ReauthenticationRequired.class);
        }
    }

    @Nested
    class StepUp {

        @Test
        void sensitiveActionsNeedFreshProofsOfEveryFactor() {
            SecondFactorResult.Success ok = signIn();
            clock.advance(Duration.ofMinutes(10).plusSeconds(1));

            assertThat(auth.accounts().changePassword(ok.session(), new PasswordChange(RawPassword.of(PASSWORD),
                    RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), ADDRESS))
                    .isInstanceOf(ChangePasswordResult.ReauthenticationRequired.class);
            assertThat(auth.accounts().requestEmailChange(ok.session(), "alice.new@example.com", RawPassword.of(PASSWORD),
                    ADDRESS)).isInstanceOf(EmailChangeResult.ReauthenticationRequired.class);
            assertThat(auth.sessions().endOtherSessions(ok.session(), ADDRESS))
                    .isInstanceOf(LogoutOthersResult.ReauthenticationRequired.class);
            assertThat(auth.secondFactors().removeAuthenticator(ok.session(), ADDRESS))
                    .isInstanceOf(FactorChangeResult.ReauthenticationRequired.class);
            assertThat(auth.secondFactors().regenerateRecoveryCodes(ok.session(), ADDRESS))
                    .isInstanceOf(FactorChangeResult.ReauthenticationRequired.class);

            assertThat(auth.sessions().reauthenticate(ok.session(), RawPassword.of(PASSWORD), ADDRESS))
                    .isEqualTo(new ReauthenticationResult.Reauthenticated(false));
            assertThat(auth.sessions().endOtherSessions(ok.session(), ADDRESS))
                    .as("the password alone is not enough").isInstanceOf(LogoutOthersResult.ReauthenticationRequired.class);
            assertThat(auth.sessions().reauthenticateSecondFactor(ok.session(), nextCode(aliceSecret), ADDRESS,
                    Optional.empty())).isEqualTo(new ReauthenticationResult.Reauthenticated(true));

            assertThat(auth.sessions().endOtherSessions(ok.session(), ADDRESS)).isInstanceOf(LogoutOthersResult.Ended.class);
            assertThat(auth.accounts().changePassword(ok.session(), new PasswordChange(RawPassword.of(PASSWORD),
                    RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), ADDRESS))
                    .isInstanceOf(ChangePasswordResult.Changed.class);
        }

        @Test
        void theNewSessionAfterAPasswordChangeKeepsTheFactorsProof() {
            SecondFactorResult.Success ok = signIn();
            ChangePasswordResult.Changed changed = (ChangePasswordResult.Changed) auth.accounts().changePassword(
                    ok.session(), new PasswordChange(RawPassword.of(PASSWORD), RawPassword.of(NEW_PASSWORD),
                            RawPassword.of(NEW_PASSWORD)), ADDRESS);

            assertThat(auth.sessions().recentlyAuthenticated(changed.session())).isTrue();
        }

        @Test
        void reauthenticationAnswersClearlyForBadInput() {
            SecondFactorResult.Success ok = signIn();
            assertThat(auth.sessions().reauthenticate(ok.session(), RawPassword.of("wrong password, surely"), ADDRESS))
                    .isInstanceOf(ReauthenticationResult.WrongPassword.class);
            assertThat(auth.sessions().reauthenticate(ok.session(), null, ADDRESS))
                    .isInstanceOf(ReauthenticationResult.Invalid.class);
            assertThat(auth.sessions().reauthenticateSecondFactor(ok.session(), "\u0661\u0662\u0663\u0664\u0665\u0666",
                    ADDRESS, Optional.empty())).isInstanceOf(ReauthenticationResult.Invalid.class);
            assertThat(auth.sessions().reauthenticateSecondFactor(new SessionToken("C".repeat(43)), "123456", ADDRESS,
                    Optional.empty())).isInstanceOf(ReauthenticationResult.NotAuthenticated.class);
            SessionToken bobs = register("bob@example.com").session();
            assertThat(auth.sessions().reauthenticateSecondFactor(bobs, "123456", ADDRESS, Optional.empty()))
                    .isInstanceOf(ReauthenticationResult.NoSecondFactor.class);
        }

        @Test
        void accountsWithoutASecondFactorNeedOnlyARecentPassword() {
            SessionToken bob = register("bob@example.com").session();
            assertThat(auth.sessions().recentlyAuthenticated(bob)).isTrue();
            clock.advance(Duration.ofMinutes(11));
            assertThat(auth.sessions().endOtherSessions(bob, ADDRESS))
                    .isInstanceOf(LogoutOthersResult.ReauthenticationRequired.class);
            assertThat(auth.accounts().changePassword(bob, new PasswordChange(RawPassword.of(PASSWORD),
                    RawPassword.of(NEW_PASSWORD), RawPassword.of(NEW_PASSWORD)), ADDRESS))
                    .as("the current password it asks for is the fresh proof").isInstanceOf(ChangePasswordResult.Changed.class);
        }

        @Test
        void removingTheAuthenticatorTurnsTwoFactorOffAndMails() {
            SecondFactorResult.Success ok = signIn();
            assertThat(auth.secondFactors().removeAuthenticator(ok.session(), ADDRESS))
                    .isInstanceOf(FactorChangeResult.Changed.class);

            assertThat(login("alice@example.com")).isInstanceOf(LoginResult.Success.class);
            assertThat(factorStore.countRecoveryCodes(alice.userId())).isZero();
            assertThat(mails).filteredOn(m -> m instanceof AccountMail.SecondFactorRemoved).hasSize(1);
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.SECOND_FACTOR_REMOVED);
        }
    }

    @Nested
    class Policy {

        @Test
        void aUserWhoseRoleRequiresAFactorIsWalkedThroughEnrolment() {
            auth = build(SecondFactorPolicy.builder().requiredForRoles(Set.of("admin")).build(), KEY);
            RegistrationResult.Registered root = register("root@example.com");
            auth.accounts().setRoles(root.userId(), Set.of("admin"));

            LoginResult result = login("root@example.com");
            assertThat(result).isInstanceOf(LoginResult.EnrolmentRequired.class);
            String h = ((LoginResult.EnrolmentRequired) result).handle();
            assertThat(auth.sessions().completeSignIn(h, "123456", ADDRESS, Optional.empty()))
                    .as("the handle allows only enrolment").isInstanceOf(SecondFactorResult.InvalidHandle.class);
            assertThat(auth.tokens().issue(new Credentials("root@example.com", RawPassword.of(PASSWORD)), ADDRESS))
                    .isInstanceOf(TokenIssueResult.EnrolmentRequired.class);

            TotpSetup setup = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(h)).setup();
            EnrolmentResult done = auth.secondFactors().confirmEnrolment(h, code(Base32.decode(setup.secret())), ADDRESS,
                    Optional.empty());

            assertThat(done).isInstanceOf(EnrolmentResult.SignedIn.class);
            EnrolmentResult.SignedIn in = (EnrolmentResult.SignedIn) done;
            assertThat(in.recoveryCodes().codes()).hasSize(10);
            assertThat(auth.sessions().recentlyAuthenticated(in.session())).isTrue();
            assertThat(auth.secondFactors().startEnrolment(h)).as("spent")
                    .isInstanceOf(EnrolmentStartResult.NotAuthenticated.class);
            assertThat(login("root@example.com")).isInstanceOf(LoginResult.SecondFactorRequired.class);
            assertThat(auth.secondFactors().removeAuthenticator(in.session(), ADDRESS))
                    .isInstanceOf(FactorChangeResult.RequiredByPolicy.class);
        }

        @Test
        void otherUsersStayOptIn() {
            auth = build(SecondFactorPolicy.builder().requiredForRoles(Set.of("admin")).build(), KEY);
            register("bob@example.com");

            assertThat(login("bob@example.com")).isInstanceOf(LoginResult.Success.class);
        }

        @Test
        void theWindowIsConfigurable() {
            assertThatThrownBy(() -> SecondFactorPolicy.builder().stepUpWindow(Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class);
            auth = build(SecondFactorPolicy.builder().stepUpWindow(Duration.ofMinutes(2)).build(), KEY);
            SecondFactorResult.Success ok = signIn();
            clock.advance(Duration.ofMinutes(2));
            assertThat(auth.sessions().recentlyAuthenticated(ok.session())).isFalse();
        }
    }

    static String linkToken(URI link) {
        Matcher m = Pattern.compile("token=([A-Za-z0-9_-]+)").matcher(link.toString());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
