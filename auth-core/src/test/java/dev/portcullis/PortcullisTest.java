package dev.portcullis;

import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.internal.Throttle;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.Sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.password.Argon2idHasher;
import dev.portcullis.password.BcryptVerifier;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.StoredUser;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PortcullisTest {

    /** One real hasher for the class: Argon2id at the OWASP floor costs tens of ms per call. */
    private static final DelegatingPasswordHasher REAL_HASHER =
            new DelegatingPasswordHasher(new Argon2idHasher(), List.of(new BcryptVerifier()));
    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String ADDRESS = "203.0.113.9";

    MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    InMemoryUserStore users = new InMemoryUserStore();
    InMemorySessionStore sessions = new InMemorySessionStore();
    InMemoryAttemptStore attempts = new InMemoryAttemptStore();
    CountingHasher hasher = new CountingHasher(REAL_HASHER);
    List<AuthEvent> events = new CopyOnWriteArrayList<>();
    Portcullis auth;

    @BeforeEach
    void setUp() {
        auth = builder().build();
        hasher.reset();
    }

    PortcullisBuilder builder() {
        return Portcullis.builder().stores(Stores.of(users, sessions, attempts))
                .passwordHasher(hasher).clock(clock).serviceName("Portcullis").eventListener(events::add);
    }

    static Registration registration(String email, String password, String confirm) {
        return new Registration(email, RawPassword.of(password), RawPassword.of(confirm));
    }

    static Credentials credentials(String email, String password) {
        return new Credentials(email, RawPassword.of(password));
    }

    RegistrationResult.Registered register(String email) {
        return (RegistrationResult.Registered) auth.accounts().register(registration(email, PASSWORD, PASSWORD), ADDRESS);
    }

    @Nested
    class Register {

        @Test
        void registerWhenValidThenAccountStoredAndLoggedIn() {
            RegistrationResult result = auth.accounts().register(registration("  Alice@Example.com ", PASSWORD, PASSWORD), ADDRESS);

            assertThat(result).isInstanceOf(RegistrationResult.Registered.class);
            RegistrationResult.Registered registered = (RegistrationResult.Registered) result;
            StoredUser stored = users.findByEmail(EmailAddress.of("alice@example.com")).orElseThrow();
            assertThat(stored.id()).isEqualTo(registered.userId());
            assertThat(stored.email().display()).isEqualTo("Alice@Example.com");
            assertThat(stored.passwordHash().encoded()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(stored.createdAt()).isEqualTo(clock.instant());
            assertThat(auth.sessions().currentUser(registered.session())).map(CurrentUser::id).contains(registered.userId());
            assertThat(events).extracting(AuthEvent::type).containsExactly(AuthEventType.REGISTERED);
        }

        @Test
        void registerWhenFieldsEmptyThenFieldErrorsAndNothingStored() {
            RegistrationResult result = auth.accounts().register(registration("", "", ""), ADDRESS);

            FieldErrors errors = ((RegistrationResult.Invalid) result).errors();
            assertThat(errors.messagesFor("email")).containsExactly("Enter your email address.");
            assertThat(errors.messagesFor("password")).containsExactly("Use at least 15 characters.");
            assertThat(hasher.hashes).hasValue(0);
        }

        @Test
        void registerWhenNullsThenFieldErrorsNotExceptions() {
            RegistrationResult result = auth.accounts().register(new Registration(null, null, null), ADDRESS);

            FieldErrors errors = ((RegistrationResult.Invalid) result).errors();
            assertThat(errors.byField()).containsOnlyKeys("email", "password", "confirmPassword");
        }

        @Test
        void registerWhenEmailMalformedThenEmailError() {
            RegistrationResult result = auth.accounts().register(registration("not-an-email", PASSWORD, PASSWORD), ADDRESS);

            assertThat(((RegistrationResult.Invalid) result).errors().messagesFor("email"))
                    .containsExactly("Enter a valid email address, like name@example.com.");
        }

        @Test
        void registerWhenLocalPartMixesScriptsThenEmailErrorAndNothingStored() {
            // Issue 12 item 10: "pаypal" with a Cyrillic а would be a second account looking like the first.
            register("paypal@example.com");
            hasher.reset();

            RegistrationResult result = auth.accounts().register(registration("p\u0430ypal@example.com", PASSWORD, PASSWORD), ADDRESS);

            assertThat(result).isInstanceOf(RegistrationResult.Invalid.class);
            assertThat(((RegistrationResult.Invalid) result).errors().messagesFor("email")).singleElement().asString()
                    .contains("one alphabet");
            assertThat(users.findByEmail(EmailAddress.of("p\u0430ypal@example.com"))).isEmpty();
            assertThat(hasher.hashes).hasValue(0);
            assertThat(auth.accounts().register(registration("\u0438\u0432\u0430\u043d@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .as("one script other than Latin").isInstanceOf(RegistrationResult.Registered.class);
        }

        @Test
        void registerWhenConfirmationDiffersThenConfirmError() {
            RegistrationResult result = auth.accounts().register(registration("a@example.com", PASSWORD, PASSWORD + "!"), ADDRESS);

            assertThat(((RegistrationResult.Invalid) result).errors().messagesFor("confirmPassword"))
                    .containsExactly("The passwords do not match.");
            assertThat(users.findByEmail(EmailAddress.of("a@example.com"))).isEmpty();
        }

        @Test
        void registerWhenPasswordCommonOrBuiltOnEmailThenPasswordError() {
            assertThat(((RegistrationResult.Invalid) auth.accounts().register(
                    registration("a@example.com", "passwordpassword", "passwordpassword"), ADDRESS)).errors()
                    .messagesFor("password")).singleElement().asString().contains("too common");
            assertThat(((RegistrationResult.Invalid) auth.accounts().register(
                    registration("zebulon@example.com", "zebulon-rules-forever", "zebulon-rules-forever"), ADDRESS))
                    .errors().messagesFor("password")).singleElement().asString().contains("email address");
        }

        @Test
        void registerWhenPasswordOverHardCapThenErrorWithoutHashing() {
            String huge = "x".repeat(10_000);
            RegistrationResult result = auth.accounts().register(registration("a@example.com", huge, huge), ADDRESS);

            assertThat(((RegistrationResult.Invalid) result).errors().messagesFor("password"))
                    .containsExactly("Use at most 1024 characters.");
            assertThat(hasher.hashes).hasValue(0);
        }

        @Test
        void registerWhenEmailTakenInAnyCaseThenEmailTaken() {
            register("bob@example.com");

            RegistrationResult result = auth.accounts().register(registration("BOB@EXAMPLE.COM", PASSWORD, PASSWORD), ADDRESS);

            assertThat(result).isInstanceOf(RegistrationResult.EmailTaken.class);
            assertThat(((RegistrationResult.EmailTaken) result).errors().messagesFor("email")).isNotEmpty();
        }

        @Test
        void registerWhenTwentyThreadsRaceForOneEmailThenExactlyOneWins() throws Exception {
            List<RegistrationResult> results = Races.run(20,
                    i -> auth.accounts().register(registration("race@example.com", PASSWORD, PASSWORD), "198.51.100." + i));

            assertThat(results).filteredOn(r -> r instanceof RegistrationResult.Registered).hasSize(1);
            assertThat(results).filteredOn(r -> r instanceof RegistrationResult.EmailTaken).hasSize(19);
        }

        @Test
        void registrationsFromOneAddressAreLimitedPerWindowTakenOrNew() {
            // Issue 12 item 5: one address could create accounts and probe taken addresses unthrottled.
            register("bob@example.com"); // from ADDRESS: the first of its budget
            int limit = ThrottlePolicy.defaults().registrationLimit();
            assertThat(auth.accounts().register(registration("carol@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .isInstanceOf(RegistrationResult.Registered.class);
            for (int i = 2; i < limit; i++) {
                assertThat(auth.accounts().register(registration("bob@example.com", PASSWORD, PASSWORD), ADDRESS))
                        .isInstanceOf(RegistrationResult.EmailTaken.class);
            }
            hasher.reset();

            RegistrationResult throttled = auth.accounts().register(registration("dave@example.com", PASSWORD, PASSWORD), ADDRESS);

            assertThat(throttled).isEqualTo(new RegistrationResult.Throttled(Duration.ofMinutes(15)));
            assertThat(auth.accounts().register(registration("bob@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .as("the taken address too: no oracle").isInstanceOf(RegistrationResult.Throttled.class);
            assertThat(hasher.hashes).hasValue(0);
            assertThat(users.findByEmail(EmailAddress.of("dave@example.com"))).isEmpty();
            assertThat(auth.accounts().register(registration("", "", ""), ADDRESS)).as("bad input is still a field error")
                    .isInstanceOf(RegistrationResult.Invalid.class);
            assertThat(auth.accounts().register(registration("dave@example.com", PASSWORD, PASSWORD), "192.0.2.1"))
                    .as("another address").isInstanceOf(RegistrationResult.Registered.class);

            clock.advance(Duration.ofMinutes(15));
            assertThat(auth.accounts().register(registration("erin@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .as("the next window").isInstanceOf(RegistrationResult.Registered.class);
        }

        @Test
        void registerWipesThePasswords() {
            char[] password = PASSWORD.toCharArray();
            char[] confirm = PASSWORD.toCharArray();
            auth.accounts().register(new Registration("w@example.com", RawPassword.of(password), RawPassword.of(confirm)), ADDRESS);

            assertThat(new String(password)).isEqualTo("\0".repeat(PASSWORD.length()));
            assertThat(new String(confirm)).isEqualTo("\0".repeat(PASSWORD.length()));
        }
    }

    @Nested
    class Login {

        UserId alice;

        @BeforeEach
        void alice() {
            alice = register("alice@example.com").userId();
            hasher.reset();
            events.clear();
        }

        @Test
        void loginWhenCredentialsRightThenSuccessWithNewSession() {
            LoginResult result = auth.sessions().login(credentials("ALICE@example.com", PASSWORD), ADDRESS);

            LoginResult.Success success = (LoginResult.Success) result;
            assertThat(success.userId()).isEqualTo(alice);
            assertThat(auth.sessions().currentUser(success.session())).map(u -> u.email().canonical()).contains("alice@example.com");
            assertThat(hasher.verifies).hasValue(1);
            assertThat(events).extracting(AuthEvent::type).containsExactly(AuthEventType.LOGIN_SUCCEEDED);
        }

        @Test
        void loginGivesAFreshTokenEachTime() {
            SessionToken first = ((LoginResult.Success) auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).session();
            SessionToken second = ((LoginResult.Success) auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).session();
            assertThat(first).isNotEqualTo(second);
        }

        @Test
        void loginWhenPasswordWrongThenInvalidCredentialsAfterOneVerify() {
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD + "x"), ADDRESS))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(hasher.verifies).hasValue(1);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(AuthEventType.LOGIN_FAILED);
                assertThat(e.userId()).contains(alice);
            });
        }

        @Test
        void loginWhenEmailUnknownThenSameResultAfterOneVerify() {
            assertThat(auth.sessions().login(credentials("nobody@example.com", PASSWORD), ADDRESS))
                    .isEqualTo(new LoginResult.InvalidCredentials());
            assertThat(hasher.verifies).hasValue(1);
        }

        @Test
        void loginWhenAccountDisabledThenSameResultAfterOneVerify() {
            auth.accounts().disable(alice, ADDRESS);
            hasher.reset();

            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isEqualTo(new LoginResult.InvalidCredentials());
            assertThat(hasher.verifies).hasValue(1);
        }

        @Test
        void loginWhenStoredHashUnusableThenSameResultAfterOneVerify() {
            users.updatePasswordHash(alice, new PasswordHash("!"));

            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isEqualTo(new LoginResult.InvalidCredentials());
            assertThat(hasher.verifies).hasValue(1);
        }

        @Test
        void loginWhenPasswordOver1024CodePointsThenRefusedWithZeroHasherCalls() {
            String tooLong = "\uD83D\uDE00".repeat(1025);
            assertThat(auth.sessions().login(credentials("alice@example.com", tooLong), ADDRESS))
                    .isEqualTo(new LoginResult.InvalidCredentials());
            assertThat(hasher.verifies).hasValue(0);
            assertThat(hasher.hashes).hasValue(0);
        }

        @Test
        void loginWhenFieldsEmptyOrMalformedThenFieldErrorsWithoutHashing() {
            assertThat(((LoginResult.Invalid) auth.sessions().login(credentials("", ""), ADDRESS)).errors().byField())
                    .containsOnlyKeys("email", "password");
            assertThat(((LoginResult.Invalid) auth.sessions().login(credentials("alice", PASSWORD), ADDRESS)).errors().byField())
                    .containsOnlyKeys("email");
            assertThat(((LoginResult.Invalid) auth.sessions().login(new Credentials(null, null), ADDRESS)).errors().byField())
                    .containsOnlyKeys("email", "password");
            assertThat(hasher.verifies).hasValue(0);
        }

        @Test
        void loginDoesNotTrimOrTruncateThePassword() {
            assertThat(auth.sessions().login(credentials("alice@example.com", " " + PASSWORD), ADDRESS))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD.substring(0, PASSWORD.length() - 1)), ADDRESS))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
        }

        @Test
        void loginWhenVerifiedEmailRequiredThenEmailNotVerifiedOnlyAfterRightPassword() {
            Portcullis strict = builder().requireVerifiedEmail(true).build();

            assertThat(strict.sessions().login(credentials("alice@example.com", "wrong wrong wrong wrong"), ADDRESS))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(strict.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isEqualTo(new LoginResult.EmailNotVerified(alice));
            users.markEmailVerified(alice);
            assertThat(strict.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
        }

        @Test
        void legacyBcryptHashIsUpgradedToArgon2idOnSuccessfulLogin() {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String bcrypt = OpenBSDBCrypt.generate("2b", "flask era password 1".toCharArray(), salt, 6);
            UserId legacy = new UserId("42");
            users.insert(new StoredUser(legacy, EmailAddress.of("old@example.com"), new PasswordHash(bcrypt),
                    Instant.parse("2019-05-01T00:00:00Z"), true, false, Set.of()));

            assertThat(auth.sessions().login(credentials("old@example.com", "flask era password 2"), ADDRESS))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(users.findById(legacy).orElseThrow().passwordHash().encoded()).isEqualTo(bcrypt);

            assertThat(auth.sessions().login(credentials("old@example.com", "flask era password 1"), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
            String upgraded = users.findById(legacy).orElseThrow().passwordHash().encoded();
            assertThat(upgraded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(auth.sessions().login(credentials("old@example.com", "flask era password 1"), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
            assertThat(users.findById(legacy).orElseThrow().passwordHash().encoded()).isEqualTo(upgraded);
        }

        @Test
        void aFailedHashUpgradeDoesNotFailTheLogin() {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String bcrypt = OpenBSDBCrypt.generate("2b", "flask era password 1".toCharArray(), salt, 4);
            UserId legacy = new UserId("7");
            InMemoryUserStore backing = new InMemoryUserStore();
            dev.portcullis.spi.UserStore narrowColumn = new NarrowHashColumn(backing);
            narrowColumn.insert(new StoredUser(legacy, EmailAddress.of("flask@example.com"), new PasswordHash(bcrypt),
                    Instant.parse("2019-05-01T00:00:00Z"), true, false, Set.of()));
            Portcullis withNarrowColumn = builder().stores(Stores.of(narrowColumn, sessions, attempts)).build();

            assertThat(withNarrowColumn.sessions().login(credentials("flask@example.com", "flask era password 1"), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
            assertThat(narrowColumn.findById(legacy).orElseThrow().passwordHash().encoded()).isEqualTo(bcrypt);
        }

        @Test
        void aStoreThatCannotHoldTheNewHashKeepsTheLegacyOneAndIsNotWritten() {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String bcrypt = OpenBSDBCrypt.generate("2b", "flask era password 1".toCharArray(), salt, 4);
            UserId legacy = new UserId("8");
            NarrowHashColumn narrowColumn = new NarrowHashColumn(new InMemoryUserStore(), true,
                    new java.util.concurrent.atomic.AtomicInteger());
            narrowColumn.insert(new StoredUser(legacy, EmailAddress.of("flask@example.com"), new PasswordHash(bcrypt),
                    Instant.parse("2019-05-01T00:00:00Z"), true, false, Set.of()));
            Portcullis withNarrowColumn = builder().stores(Stores.of(narrowColumn, sessions, attempts)).build();

            for (int i = 0; i < 2; i++) {
                assertThat(withNarrowColumn.sessions().login(credentials("flask@example.com", "flask era password 1"), ADDRESS))
                        .isInstanceOf(LoginResult.Success.class);
            }
            assertThat(narrowColumn.findById(legacy).orElseThrow().passwordHash().encoded()).isEqualTo(bcrypt);
            assertThat(narrowColumn.writes()).hasValue(0);
        }

        @Test
        void keepingLegacyHashesLeavesBcryptForTheOldAppAndHashesNewPasswordsWithArgon2id() {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String bcrypt = OpenBSDBCrypt.generate("2b", "flask era password 1".toCharArray(), salt, 4);
            UserId legacy = new UserId("9");
            users.insert(new StoredUser(legacy, EmailAddress.of("old@example.com"), new PasswordHash(bcrypt),
                    Instant.parse("2019-05-01T00:00:00Z"), true, false, Set.of()));
            Portcullis transition = builder().passwordHasher(REAL_HASHER.keepingLegacyHashes()).build();

            assertThat(transition.sessions().login(credentials("old@example.com", "flask era password 1"), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
            assertThat(users.findById(legacy).orElseThrow().passwordHash().encoded()).isEqualTo(bcrypt);
            assertThat(REAL_HASHER.keepingLegacyHashes().needsRehash(new PasswordHash(bcrypt))).isFalse();
            assertThat(transition.accounts().register(registration("new@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .isInstanceOf(RegistrationResult.Registered.class);
            assertThat(users.findByEmail(EmailAddress.of("new@example.com")).orElseThrow().passwordHash().encoded())
                    .startsWith("$argon2id$");
        }

        @Test
        void registrationUsesTheIdTheStoreAssigned() {
            AssignsIds assigning = new AssignsIds(new InMemoryUserStore());
            Portcullis withAssignedIds = builder().stores(Stores.of(assigning, sessions, attempts)).build();

            RegistrationResult result = withAssignedIds.accounts().register(
                    registration("numbered@example.com", PASSWORD, PASSWORD), ADDRESS);

            assertThat(result).isInstanceOf(RegistrationResult.Registered.class);
            RegistrationResult.Registered registered = (RegistrationResult.Registered) result;
            assertThat(registered.user().id()).isEqualTo(new UserId("1001"));
            assertThat(withAssignedIds.sessions().currentUser(registered.session()))
                    .hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(new UserId("1001")));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(AuthEventType.REGISTERED);
                assertThat(e.userId()).contains(new UserId("1001"));
            });
        }

        @Test
        void failedLegacyVerifyIsPaddedWithAnArgon2Verify() {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String bcrypt = OpenBSDBCrypt.generate("2a", "flask era password 1".toCharArray(), salt, 4);
            CountingHasher argon = new CountingHasher(new Argon2idHasher());
            DelegatingPasswordHasher delegating = new DelegatingPasswordHasher(argon, List.of(new BcryptVerifier()));
            argon.reset();

            assertThat(delegating.verify(RawPassword.of("nope nope nope nope"), new PasswordHash(bcrypt))).isFalse();
            assertThat(argon.verifies).hasValue(1);
        }

        @Test
        void composedAndDecomposedPasswordsLogIn() {
            String composed = "cr\u00e8me br\u00fbl\u00e9e pour deux";
            auth.accounts().register(registration("chef@example.com", composed, composed), ADDRESS);
            assertThat(auth.sessions().login(credentials("chef@example.com", "cre\u0300me bru\u0302le\u0301e pour deux"), ADDRESS))
                    .isInstanceOf(LoginResult.Success.class);
        }
    }

    @Nested
    class Throttling {

        @BeforeEach
        void alice() {
            register("alice@example.com");
            events.clear();
        }

        private LoginResult wrong(String email, String address) {
            return auth.sessions().login(credentials(email, "wrong wrong wrong wrong"), address);
        }

        @Test
        void afterFiveFailuresTheAccountMustWaitAndTheWaitDoubles() {
            for (int i = 0; i < 4; i++) {
                assertThat(wrong("alice@example.com", ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
            }
            assertThat(wrong("alice@example.com", ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
            hasher.reset();
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isEqualTo(new LoginResult.Throttled(Duration.ofSeconds(1)));
            assertThat(hasher.verifies).as("a throttled attempt costs no hashing").hasValue(0);

            clock.advance(Duration.ofSeconds(1));
            assertThat(wrong("alice@example.com", ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(wrong("alice@example.com", ADDRESS)).isEqualTo(new LoginResult.Throttled(Duration.ofSeconds(2)));
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.LOGIN_THROTTLED);
        }

        @Test
        void unknownAccountsAreThrottledExactlyLikeKnownOnes() {
            for (int i = 0; i < 5; i++) {
                wrong("ghost@example.com", ADDRESS);
            }
            assertThat(wrong("ghost@example.com", ADDRESS)).isInstanceOf(LoginResult.Throttled.class);
        }

        @Test
        void successResetsTheAccountCounter() {
            for (int i = 0; i < 4; i++) {
                wrong("alice@example.com", ADDRESS);
            }
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).isInstanceOf(LoginResult.Success.class);
            for (int i = 0; i < 4; i++) {
                assertThat(wrong("alice@example.com", ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
            }
        }

        @Test
        void accountLocksAtOneHundredFailuresUntilTheWindowEnds() {
            Portcullis fast = builder().throttlePolicy(ThrottlePolicy.builder().maxDelay(Duration.ofSeconds(1)).build()).build();
            for (int i = 0; i < 100; i++) {
                assertThat(fast.sessions().login(credentials("alice@example.com", "wrong wrong wrong wrong"), "198.51.100." + (i % 200)))
                        .isInstanceOf(LoginResult.InvalidCredentials.class);
                clock.advance(Duration.ofSeconds(1));
            }
            LoginResult locked = fast.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS);
            assertThat(locked).isInstanceOf(LoginResult.Throttled.class);
            assertThat(((LoginResult.Throttled) locked).retryAfter()).isGreaterThan(Duration.ofHours(23));

            clock.advance(Duration.ofHours(24));
            assertThat(fast.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).isInstanceOf(LoginResult.Success.class);
        }

        @Test
        void oneAddressSprayingManyAccountsIsThrottledAfterItsLimit() {
            for (int i = 0; i < 100; i++) {
                assertThat(wrong("user" + i + "@example.com", ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
            }
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).isInstanceOf(LoginResult.Throttled.class);
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), "192.0.2.1")).isInstanceOf(LoginResult.Success.class);

            clock.advance(Duration.ofMinutes(15));
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).isInstanceOf(LoginResult.Success.class);
        }
    }

    @Nested
    class Sessions {

        RegistrationResult.Registered alice;

        @BeforeEach
        void alice() {
            alice = register("alice@example.com");
        }

        @Test
        void sessionExpiresAfterIdleTimeout() {
            clock.advance(Duration.ofMinutes(29));
            assertThat(auth.sessions().currentUser(alice.session())).isPresent();
            clock.advance(Duration.ofMinutes(29));
            assertThat(auth.sessions().currentUser(alice.session())).as("use renewed the idle timer").isPresent();
            clock.advance(Duration.ofMinutes(30));
            assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
            assertThat(sessions.find(alice.session().digest())).as("expired record deleted").isEmpty();
        }

        @Test
        void sessionExpiresAfterAbsoluteTimeoutEvenWhenActive() {
            for (int i = 0; i < 47; i++) {
                clock.advance(Duration.ofMinutes(15));
                assertThat(auth.sessions().currentUser(alice.session())).isPresent();
            }
            clock.advance(Duration.ofMinutes(15));
            assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
        }

        @Test
        void lastSeenIsWrittenAtMostOncePerTouchInterval() {
            Instant created = sessions.find(alice.session().digest()).orElseThrow().lastSeenAt();
            clock.advance(Duration.ofSeconds(30));
            auth.sessions().currentUser(alice.session());
            assertThat(sessions.find(alice.session().digest()).orElseThrow().lastSeenAt()).isEqualTo(created);
            clock.advance(Duration.ofSeconds(30));
            auth.sessions().currentUser(alice.session());
            assertThat(sessions.find(alice.session().digest()).orElseThrow().lastSeenAt()).isEqualTo(clock.instant());
        }

        @Test
        void storeKeepsOnlyTheDigestOfTheToken() {
            assertThat(sessions.find(alice.session().digest()).orElseThrow().id().hex())
                    .isNotEqualTo(alice.session().value()).hasSize(64);
        }

        @Test
        void logoutDeletesTheSessionAndTheOldTokenIsDead() {
            auth.sessions().logout(alice.session(), ADDRESS);
            assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
            assertThat(sessions.findAllForUser(alice.userId())).isEmpty();
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.LOGGED_OUT);
        }

        @Test
        void logoutEverywhereEndsEverySession() {
            SessionToken other = ((LoginResult.Success) auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).session();
            assertThat(auth.sessions().activeSessions(alice.userId())).hasSize(2);

            assertThat(auth.sessions().logoutEverywhere(alice.userId(), ADDRESS)).isEqualTo(2);
            assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
            assertThat(auth.sessions().currentUser(other)).isEmpty();
        }

        @Test
        void logoutOtherSessionsKeepsThisOne() {
            SessionToken other = ((LoginResult.Success) auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).session();

            assertThat(auth.sessions().logoutOthers(alice.session(), ADDRESS)).isEqualTo(1);
            assertThat(auth.sessions().currentUser(alice.session())).isPresent();
            assertThat(auth.sessions().currentUser(other)).isEmpty();
        }

        @Test
        void credentialRevokersRunOnLogoutEverywhereAndPasswordChange() {
            List<UserId> revoked = new CopyOnWriteArrayList<>();
            Portcullis withRevoker = builder().credentialRevoker(revoked::add).build();

            withRevoker.sessions().logoutEverywhere(alice.userId(), ADDRESS);
            assertThat(revoked).containsExactly(alice.userId());
        }

        @Test
        void disablingAnAccountEndsItsSessions() {
            auth.accounts().disable(alice.userId(), ADDRESS);
            assertThat(sessions.findAllForUser(alice.userId())).isEmpty();
            assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.ACCOUNT_DISABLED);
        }

        @Test
        void rolesAreVisibleOnTheCurrentUser() {
            auth.accounts().setRoles(alice.userId(), Set.of("admin"));
            assertThat(auth.sessions().currentUser(alice.session()).orElseThrow().hasRole("admin")).isTrue();
        }

        @Test
        void purgeRemovesExpiredSessions() {
            clock.advance(Duration.ofHours(1));
            assertThat(auth.purgeExpired()).isEqualTo(1);
            assertThat(sessions.findAllForUser(alice.userId())).isEmpty();
        }
    }

    @Nested
    class RevocationRaces {

        RegistrationResult.Registered alice;

        @BeforeEach
        void alice() {
            alice = register("alice@example.com");
        }

        @Test
        void aLoginRacingAPasswordResetDoesNotKeepItsSession() throws Exception {
            // The reset lands while the login's session is being stored: the login must not survive it.
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            dev.portcullis.spi.SessionStore racing = new dev.portcullis.spi.SessionStore() {
                @Override
                public void insert(dev.portcullis.spi.SessionRecord session) {
                    sessions.insert(session);
                    if (session.userId().equals(alice.userId()) && once.compareAndSet(false, true)) {
                        users.updatePasswordHash(alice.userId(), REAL_HASHER.hash(RawPassword.of("a reset password chosen now")));
                        sessions.deleteAllForUser(alice.userId());
                        sessions.insert(session); // worst case: the store saw the insert after the revocation
                    }
                }

                @Override
                public java.util.Optional<dev.portcullis.spi.SessionRecord> find(dev.portcullis.model.TokenDigest id) {
                    return sessions.find(id);
                }

                @Override
                public void touch(dev.portcullis.model.TokenDigest id, Instant at) {
                    sessions.touch(id, at);
                }

                @Override
                public boolean delete(dev.portcullis.model.TokenDigest id) {
                    return sessions.delete(id);
                }

                @Override
                public int deleteAllForUser(UserId userId) {
                    return sessions.deleteAllForUser(userId);
                }

                @Override
                public int deleteAllForUserExcept(UserId userId, dev.portcullis.model.TokenDigest keep) {
                    return sessions.deleteAllForUserExcept(userId, keep);
                }

                @Override
                public List<dev.portcullis.spi.SessionRecord> findAllForUser(UserId userId) {
                    return sessions.findAllForUser(userId);
                }

                @Override
                public int deleteExpired(Instant idle, Instant absolute) {
                    return sessions.deleteExpired(idle, absolute);
                }
            };
            sessions.deleteAllForUser(alice.userId());
            Portcullis withRace = builder().stores(Stores.of(users, racing, attempts)).build();

            assertThat(withRace.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(sessions.findAllForUser(alice.userId())).as("nothing survives the reset").isEmpty();
        }

        @Test
        void aBurstOfParallelGuessesBeyondTheFreeFailuresGetsOneVerify() throws Exception {
            for (int i = 0; i < 5; i++) {
                auth.sessions().login(credentials("alice@example.com", "wrong wrong wrong wrong"), ADDRESS);
            }
            clock.advance(Duration.ofSeconds(1));
            hasher.reset();

            List<LoginResult> burst = Races.run(10, i -> auth.sessions().login(credentials("alice@example.com", "guess number " + i + " here"), ""));

            assertThat(burst).filteredOn(r -> r instanceof LoginResult.InvalidCredentials).hasSize(1);
            assertThat(burst).filteredOn(r -> r instanceof LoginResult.Throttled).hasSize(9);
            assertThat(hasher.verifies).hasValue(1);
        }

        @Test
        void fiftyParallelWrongCurrentPasswordsFromOneSessionGetNoMoreVerifiesThanThePolicyAllows() throws Exception {
            // Re-authentication goes through the same credential check as login: each attempt is
            // reserved on the account's counter before its verify, so a hijacked session cannot
            // turn one throttle check into fifty guesses.
            String next = "quiet orange bicycle harbour";
            hasher.reset();

            List<ChangePasswordResult> burst = Races.run(50, i -> auth.accounts().changePassword(alice.session(),
                    new PasswordChange(RawPassword.of("guess number " + i + " here"), RawPassword.of(next),
                            RawPassword.of(next)), ADDRESS));

            int allowed = ThrottlePolicy.defaults().freeFailures();
            assertThat(hasher.verifies.get()).as("verifies of the 50 guesses").isBetween(1, allowed);
            assertThat(hasher.hashes).as("no new password was hashed").hasValue(0);
            assertThat(burst).noneMatch(r -> r instanceof ChangePasswordResult.Changed);
            assertThat(burst).filteredOn(r -> r instanceof ChangePasswordResult.Throttled)
                    .hasSizeGreaterThanOrEqualTo(50 - allowed);
            assertThat(auth.accounts().changePassword(alice.session(), new PasswordChange(RawPassword.of(PASSWORD),
                    RawPassword.of(next), RawPassword.of(next)), ADDRESS))
                    .as("the owner, after the burst, is throttled too; never verified past the budget")
                    .isInstanceOf(ChangePasswordResult.Throttled.class);
        }

        @Test
        void twoHundredParallelWrongGuessesFromOneAddressGetNoMoreVerifiesThanItsLimit() throws Exception {
            // Issue 12 item 4: the address counter is reserved before the verify, like the account
            // counter, so a burst cannot overshoot the per-address limit (before: 128-131 of 100).
            CountingHasher fast = new CountingHasher(new FastHasher());
            Portcullis spraying = builder().passwordHasher(fast).hashingLimits(64, Duration.ofSeconds(30)).build();
            int limit = ThrottlePolicy.defaults().addressLimit();
            fast.reset();

            List<LoginResult> burst = Races.run(200, i -> spraying.sessions().login(
                    credentials("sprayed" + i + "@example.com", "guess number " + i + " here"), ADDRESS));

            assertThat(fast.verifies.get()).as("verifies of 200 parallel guesses").isEqualTo(limit);
            assertThat(burst).filteredOn(r -> r instanceof LoginResult.InvalidCredentials).hasSize(limit);
            assertThat(burst).filteredOn(r -> r instanceof LoginResult.Throttled).hasSize(200 - limit);
            assertThat(spraying.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .isInstanceOf(LoginResult.Throttled.class);
        }

        @Test
        void aRightPasswordTakesItsAddressReservationBack() {
            Portcullis strict = builder().throttlePolicy(ThrottlePolicy.builder().addressLimit(3).build()).build();
            for (int i = 0; i < 5; i++) {
                assertThat(strict.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                        .as("sign-in %d from one address", i).isInstanceOf(LoginResult.Success.class);
            }
            assertThat(attempts.find(Throttle.addressKey(ADDRESS).orElseThrow())).as("successes leave no count").isEmpty();
            for (int i = 0; i < 3; i++) {
                strict.sessions().login(credentials("nobody" + i + "@example.com", "wrong wrong wrong wrong"), ADDRESS);
            }
            assertThat(strict.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS))
                    .as("failures still count").isInstanceOf(LoginResult.Throttled.class);
        }

        @Test
        void ipv6ClientsAreThrottledByTheirSlash64() {
            assertThat(Throttle.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo(Throttle.addressKey("2001:db8:1:2:bbbb::99"));
            assertThat(Throttle.addressKey("2001:db8:1:2::1")).isNotEqualTo(Throttle.addressKey("2001:db8:1:3::1"));
            assertThat(Throttle.addressKey("[2001:db8:1:2::1]")).isEqualTo(Throttle.addressKey("2001:db8:1:2::7"));
            assertThat(Throttle.addressKey("192.0.2.1")).isNotEqualTo(Throttle.addressKey("192.0.2.2"));
        }
    }

    @Nested
    class ChangePassword {

        RegistrationResult.Registered alice;
        static final String NEW = "quiet orange bicycle harbour";

        @BeforeEach
        void alice() {
            alice = register("alice@example.com");
        }

        PasswordChange change(String current, String next, String confirm) {
            return new PasswordChange(RawPassword.of(current), RawPassword.of(next), RawPassword.of(confirm));
        }

        @Test
        void changeWhenCurrentRightThenNewPasswordWorksOldFailsOtherSessionsEnd() {
            SessionToken other = ((LoginResult.Success) auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).session();

            ChangePasswordResult result = auth.accounts().changePassword(alice.session(), change(PASSWORD, NEW, NEW), ADDRESS);

            ChangePasswordResult.Changed changed = (ChangePasswordResult.Changed) result;
            assertThat(changed.otherSessionsEnded()).isEqualTo(1);
            assertThat(auth.sessions().currentUser(alice.session())).as("this session's old id is dead").isEmpty();
            assertThat(auth.sessions().currentUser(changed.session())).as("the caller continues with a new id").isPresent();
            assertThat(auth.sessions().currentUser(other)).as("other sessions end").isEmpty();
            assertThat(auth.sessions().login(credentials("alice@example.com", PASSWORD), ADDRESS)).isInstanceOf(LoginResult.InvalidCredentials.class);
            assertThat(auth.sessions().login(credentials("alice@example.com", NEW), ADDRESS)).isInstanceOf(LoginResult.Success.class);
            assertThat(events).extracting(AuthEvent::type).contains(AuthEventType.PASSWORD_CHANGED);
        }

        @Test
        void changeWhenCurrentWrongThenFieldErrorAndCountsTowardThrottle() {
            ChangePasswordResult result = auth.accounts().changePassword(alice.session(), change("not my password at all", NEW, NEW), ADDRESS);

            assertThat(((ChangePasswordResult.Invalid) result).errors().messagesFor("currentPassword"))
                    .containsExactly("Your current password is not correct.");
            for (int i = 0; i < 4; i++) {
                auth.accounts().changePassword(alice.session(), change("not my password at all", NEW, NEW), ADDRESS);
            }
            assertThat(auth.accounts().changePassword(alice.session(), change(PASSWORD, NEW, NEW), ADDRESS))
                    .isInstanceOf(ChangePasswordResult.Throttled.class);
        }

        @Test
        void changeWhenNewPasswordWeakOrUnconfirmedThenFieldErrors() {
            assertThat(((ChangePasswordResult.Invalid) auth.accounts().changePassword(alice.session(), change(PASSWORD, "short", "short"), ADDRESS))
                    .errors().messagesFor("newPassword")).containsExactly("Use at least 15 characters.");
            assertThat(((ChangePasswordResult.Invalid) auth.accounts().changePassword(alice.session(), change(PASSWORD, NEW, NEW + "."), ADDRESS))
                    .errors().messagesFor("confirmPassword")).containsExactly("The passwords do not match.");
        }

        @Test
        void changeWhenSessionUnknownThenNotAuthenticated() {
            auth.sessions().logout(alice.session(), ADDRESS);
            assertThat(auth.accounts().changePassword(alice.session(), change(PASSWORD, NEW, NEW), ADDRESS))
                    .isInstanceOf(ChangePasswordResult.NotAuthenticated.class);
        }
    }

    @Nested
    class Busy {

        @Test
        void twoHundredParallelLoginsWithASmallHashingLimitAllAnswerCorrectlyOrBusy() throws Exception {
            register("alice@example.com");
            Portcullis limited = builder().hashingLimits(2, Duration.ofMillis(200)).build();

            List<LoginResult> results = Races.run(200, i -> i % 2 == 0
                    ? limited.sessions().login(credentials("alice@example.com", PASSWORD), "")
                    : limited.sessions().login(credentials("user" + i + "@example.com", PASSWORD), ""));

            for (int i = 0; i < results.size(); i++) {
                LoginResult r = results.get(i);
                if (i % 2 == 0) {
                    assertThat(r).isInstanceOfAny(LoginResult.Success.class, LoginResult.Busy.class);
                } else {
                    assertThat(r).isInstanceOfAny(LoginResult.InvalidCredentials.class, LoginResult.Busy.class);
                }
            }
            assertThat(results).filteredOn(r -> r instanceof LoginResult.Busy).as("limit was hit").isNotEmpty();
            assertThat(results).filteredOn(r -> r instanceof LoginResult.Success).as("work got done").isNotEmpty();
        }

        @Test
        void registerWhenNoHashingSlotFreesUpThenBusyAndNothingStored() throws Exception {
            java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            dev.portcullis.spi.PasswordHasher blocking = new dev.portcullis.spi.PasswordHasher() {
                @Override
                public PasswordHash hash(RawPassword p) {
                    if (p.codePointCount() == PASSWORD.length()) {
                        inside.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return REAL_HASHER.hash(p);
                }

                @Override
                public boolean verify(RawPassword p, PasswordHash h) {
                    return REAL_HASHER.verify(p, h);
                }

                @Override
                public boolean supports(PasswordHash h) {
                    return REAL_HASHER.supports(h);
                }
            };
            Portcullis one = builder().passwordHasher(blocking).hashingLimits(1, Duration.ZERO).build();
            Thread first = new Thread(() -> one.accounts().register(registration("first@example.com", PASSWORD, PASSWORD), ADDRESS));
            first.start();
            inside.await();

            assertThat(one.accounts().register(registration("second@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .isEqualTo(new RegistrationResult.Busy(Duration.ofSeconds(1)));
            assertThat(users.findByEmail(EmailAddress.of("second@example.com"))).isEmpty();
            release.countDown();
            first.join();
            assertThat(users.findByEmail(EmailAddress.of("first@example.com"))).isPresent();
        }
    }

    @Nested
    class Configuration {

        @Test
        void buildNamesTheMissingCollaborator() {
            assertThatThrownBy(() -> Portcullis.builder().passwordHasher(hasher).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("stores is required: call Portcullis.builder().stores(");
        }

        @Test
        void settersRefuseBadValuesAtOnce() {
            assertThatThrownBy(() -> Portcullis.builder().hashingLimits(0, Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Portcullis.builder().hashingLimits(2, Duration.ofSeconds(2), -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Portcullis.builder().hashingLimits(2, Duration.ofSeconds(2), 8193)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Portcullis.builder().stores(Stores.of(null, new InMemorySessionStore(), new InMemoryAttemptStore()))).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> SessionPolicy.builder().idleTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ThrottlePolicy.builder().lockThreshold(101)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aFailingListenerDoesNotBreakLogin() {
            Portcullis noisy = builder().eventListener(e -> {
                throw new IllegalStateException("audit sink down");
            }).build();
            assertThat(noisy.accounts().register(registration("n@example.com", PASSWORD, PASSWORD), ADDRESS))
                    .isInstanceOf(RegistrationResult.Registered.class);
        }

        @Test
        void eventsCarryNoSecrets() {
            RegistrationResult.Registered r = register("alice@example.com");
            auth.sessions().login(credentials("alice@example.com", "wrong wrong wrong wrong"), ADDRESS);
            List<String> rendered = new ArrayList<>();
            events.forEach(e -> rendered.add(e.toString()));
            assertThat(String.join("\n", rendered)).doesNotContain(PASSWORD, r.session().value(), "wrong wrong", "alice@example.com");
        }
    }

    /** A user table whose password column is too short for Argon2id (Flask's VARCHAR(60)). */
    record NarrowHashColumn(InMemoryUserStore delegate, boolean declaresWidth,
                            java.util.concurrent.atomic.AtomicInteger writes) implements dev.portcullis.spi.UserStore {

        NarrowHashColumn(InMemoryUserStore delegate) {
            this(delegate, false, new java.util.concurrent.atomic.AtomicInteger());
        }

        /** Like a mapped JDBC table that knows its column's width. */
        @Override
        public boolean canStore(PasswordHash hash) {
            return !declaresWidth || hash.encoded().length() <= 60;
        }

        @Override
        public java.util.Optional<StoredUser> findByEmail(EmailAddress email) {
            return delegate.findByEmail(email);
        }

        @Override
        public java.util.Optional<StoredUser> findById(UserId id) {
            return delegate.findById(id);
        }

        @Override
        public boolean insert(StoredUser user) {
            return delegate.insert(user);
        }

        @Override
        public void updatePasswordHash(UserId id, PasswordHash newHash) {
            writes.incrementAndGet();
            throw new dev.portcullis.spi.StoreException("value too long for column password VARCHAR(60)", null);
        }

        @Override
        public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
            return delegate.updateEmail(id, newEmail, verified);
        }

        @Override
        public void markEmailVerified(UserId id) {
            delegate.markEmailVerified(id);
        }

        @Override
        public void setDisabled(UserId id, boolean disabled) {
            delegate.setDisabled(id, disabled);
        }

        @Override
        public void setRoles(UserId id, Set<String> roles) {
            delegate.setRoles(id, roles);
        }
    }

    /** A store whose database numbers the accounts (an auto-increment key): it ignores the core's id. */
    record AssignsIds(InMemoryUserStore delegate) implements dev.portcullis.spi.UserStore {
        @Override
        public java.util.Optional<StoredUser> findByEmail(EmailAddress email) {
            return delegate.findByEmail(email);
        }

        @Override
        public java.util.Optional<StoredUser> findById(UserId id) {
            return delegate.findById(id);
        }

        @Override
        public boolean insert(StoredUser user) {
            return insertReturningId(user).isPresent();
        }

        @Override
        public java.util.Optional<UserId> insertReturningId(StoredUser user) {
            UserId assigned = new UserId("1001");
            return delegate.insert(new StoredUser(assigned, user.email(), user.passwordHash(), user.createdAt(),
                    user.emailVerified(), user.disabled(), user.roles())) ? java.util.Optional.of(assigned)
                    : java.util.Optional.empty();
        }

        @Override
        public void updatePasswordHash(UserId id, PasswordHash newHash) {
            delegate.updatePasswordHash(id, newHash);
        }

        @Override
        public boolean updateEmail(UserId id, EmailAddress newEmail, boolean verified) {
            return delegate.updateEmail(id, newEmail, verified);
        }

        @Override
        public void markEmailVerified(UserId id) {
            delegate.markEmailVerified(id);
        }

        @Override
        public void setDisabled(UserId id, boolean disabled) {
            delegate.setDisabled(id, disabled);
        }

        @Override
        public void setRoles(UserId id, Set<String> roles) {
            delegate.setRoles(id, roles);
        }
    }

    /** Runs tasks on n threads released together. */
    static final class Races {
        interface Task<T> {
            T run(int i) throws Exception;
        }

        static <T> List<T> run(int n, Task<T> task) throws Exception {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try {
                List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        return task.run(index);
                    }));
                }
                start.countDown();
                List<T> results = new ArrayList<>();
                for (java.util.concurrent.Future<T> f : futures) {
                    results.add(f.get());
                }
                return Collections.unmodifiableList(results);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
