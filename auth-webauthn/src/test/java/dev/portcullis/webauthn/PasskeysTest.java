package dev.portcullis.webauthn;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryPasskeyChallengeStore;
import dev.portcullis.memory.InMemoryPasskeyStore;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.passkey.CreationOptions;
import dev.portcullis.passkey.PasskeyAssertion;
import dev.portcullis.passkey.PasskeyChangeResult;
import dev.portcullis.passkey.PasskeyOptionsResult;
import dev.portcullis.passkey.PasskeyRegistration;
import dev.portcullis.passkey.PasskeyRegistrationResult;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.passkey.PasskeySignInResult;
import dev.portcullis.passkey.RequestOptions;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.StoredPasskey;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.testkit.MutableClock;
import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The passkey ceremonies through the public API, with the real webauthn4j verifier and a software
 * authenticator that builds genuine WebAuthn responses (attestation none, ES256).
 */
class PasskeysTest {

    static final String ORIGIN = "https://app.example.com";
    static final String RP_ID = "app.example.com";
    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String ADDRESS = "203.0.113.9";
    static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    MutableClock clock = MutableClock.startingAt2030();
    InMemoryPasskeyStore passkeyStore = new InMemoryPasskeyStore();
    InMemoryPasskeyChallengeStore challengeStore = new InMemoryPasskeyChallengeStore();
    Stores stores = InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(),
            new InMemoryPendingSignInStore());
    List<AccountMail> mails = new CopyOnWriteArrayList<>();
    List<AuthEvent> events = new CopyOnWriteArrayList<>();
    Portcullis auth = build(PasskeySettings.UserVerification.REQUIRED);

    Portcullis build(PasskeySettings.UserVerification uv) {
        return Portcullis.builder().stores(stores).secondFactorKey(KEY).passwordHasher(new TestHasher()).clock(clock)
                .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create(ORIGIN))).withExecutor(Runnable::run))
                .eventListener(events::add)
                .passkeys(PasskeySettings.builder().rpId(RP_ID).rpName("Acme").origin(ORIGIN).userVerification(uv)
                        .stores(passkeyStore, challengeStore).verifier(new Webauthn4jVerifier()).build())
                .build();
    }

    RegistrationResult.Registered register(String email) {
        return (RegistrationResult.Registered) auth.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
    }

    CreationOptions creation(SessionToken session) {
        return ((PasskeyOptionsResult.Creation) auth.passkeys().registrationOptions(session)).options();
    }

    SoftAuthenticator addPasskey(SessionToken session, long counter) {
        SoftAuthenticator a = new SoftAuthenticator(ORIGIN, counter);
        PasskeyRegistrationResult r = auth.passkeys().register(session, a.register(creation(session), "Laptop"), ADDRESS);
        assertThat(r).isInstanceOf(PasskeyRegistrationResult.Registered.class);
        return a;
    }

    List<AuthEventType> eventTypes() {
        return events.stream().map(AuthEvent::type).toList();
    }

    @Test
    void registerThenSignInWithoutUsernameThenTheSessionIsMultiFactor() {
        RegistrationResult.Registered alice = register("alice@example.com");
        CreationOptions options = creation(alice.session());
        assertThat(options.residentKey()).isEqualTo("preferred");
        assertThat(options.userVerification()).isEqualTo("required");
        assertThat(options.attestation()).isEqualTo("none");
        assertThat(options.rpId()).isEqualTo(RP_ID);
        assertThat(java.util.Base64.getUrlDecoder().decode(options.challenge())).hasSize(32);

        SoftAuthenticator key = new SoftAuthenticator(ORIGIN, 1);
        PasskeyRegistrationResult r = auth.passkeys().register(alice.session(), key.register(options, "Laptop"), ADDRESS);
        assertThat(r).isInstanceOf(PasskeyRegistrationResult.Registered.class);
        StoredPasskey stored = passkeyStore.find(key.id()).orElseThrow();
        assertThat(stored.name()).isEqualTo("Laptop");
        assertThat(stored.signCount()).isEqualTo(1);
        assertThat(stored.aaguid()).isEqualTo(key.aaguid.toString());
        assertThat(stored.transports()).containsExactly("internal");
        assertThat(stored.backupEligible()).isTrue();
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
        assertThat(mails).anyMatch(m -> m instanceof AccountMail.PasskeyAdded p && p.passkeyName().equals("Laptop"));
        assertThat(eventTypes()).contains(AuthEventType.PASSKEY_ADDED);

        RequestOptions request = auth.passkeys().signInOptions();
        assertThat(request.allowCredentials()).isEmpty();
        key.userHandle = java.util.Base64.getUrlDecoder().decode(options.userHandle());
        PasskeySignInResult in = auth.passkeys().signIn(key.sign(request), ADDRESS);
        assertThat(in).isInstanceOf(PasskeySignInResult.Success.class);
        PasskeySignInResult.Success ok = (PasskeySignInResult.Success) in;
        assertThat(ok.multiFactor()).isTrue();
        assertThat(ok.user().id()).isEqualTo(alice.user().id());
        assertThat(auth.sessions().currentUser(ok.session())).isPresent();
        assertThat(passkeyStore.find(key.id()).orElseThrow().signCount()).isEqualTo(2);
        assertThat(passkeyStore.find(key.id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());
        assertThat(eventTypes()).contains(AuthEventType.PASSKEY_SIGNED_IN);
    }

    @Test
    void addingAPasskeyNeedsARecentProof() {
        RegistrationResult.Registered alice = register("alice@example.com");
        clock.advance(Duration.ofMinutes(20));
        assertThat(auth.passkeys().registrationOptions(alice.session()))
                .isInstanceOf(PasskeyOptionsResult.ReauthenticationRequired.class);
        assertThat(auth.passkeys().registrationOptions(SessionToken.parse("x".repeat(43)).orElseThrow()))
                .isInstanceOf(PasskeyOptionsResult.NotAuthenticated.class);
    }

    @Test
    void aChallengeWorksOnceAndOnlyForItsCeremony() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 5);
        RequestOptions request = auth.passkeys().signInOptions();
        PasskeyAssertion assertion = key.sign(request);
        assertThat(auth.passkeys().signIn(assertion, ADDRESS)).isInstanceOf(PasskeySignInResult.Success.class);
        // The same assertion again: its challenge was deleted by the first use.
        assertThat(auth.passkeys().signIn(assertion, ADDRESS)).isInstanceOf(PasskeySignInResult.InvalidChallenge.class);
        // A registration challenge does not answer a sign-in.
        CreationOptions reg = creation(alice.session());
        assertThat(auth.passkeys().signIn(key.signWithCounter(reg.challenge(), RP_ID, 100), ADDRESS))
                .isInstanceOf(PasskeySignInResult.InvalidChallenge.class);
        // Expired.
        RequestOptions old = auth.passkeys().signInOptions();
        clock.advance(Duration.ofMinutes(5));
        assertThat(auth.passkeys().signIn(key.sign(old), ADDRESS)).isInstanceOf(PasskeySignInResult.InvalidChallenge.class);
        assertThat(auth.purgeExpired()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aCounterThatDoesNotIncreaseIsRefusedReportedAndMailed() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 10);
        assertThat(auth.passkeys().signIn(key.sign(auth.passkeys().signInOptions()), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Success.class);
        assertThat(passkeyStore.find(key.id()).orElseThrow().signCount()).isEqualTo(11);

        // A copy of the key, re-imported with a lower counter.
        RequestOptions r = auth.passkeys().signInOptions();
        assertThat(auth.passkeys().signIn(key.signWithCounter(r.challenge(), RP_ID, 5), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Refused.class);
        RequestOptions same = auth.passkeys().signInOptions();
        assertThat(auth.passkeys().signIn(key.signWithCounter(same.challenge(), RP_ID, 11), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Refused.class);
        assertThat(eventTypes()).contains(AuthEventType.PASSKEY_CLONE_SUSPECTED);
        assertThat(mails).anyMatch(m -> m instanceof AccountMail.PasskeyCloneSuspected);
        assertThat(passkeyStore.find(key.id()).orElseThrow().signCount()).isEqualTo(11);
    }

    @Test
    void anAuthenticatorWithoutACounterKeepsWorking() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 0);
        for (int i = 0; i < 3; i++) {
            assertThat(auth.passkeys().signIn(key.sign(auth.passkeys().signInOptions()), ADDRESS))
                    .isInstanceOf(PasskeySignInResult.Success.class);
        }
    }

    @Test
    void twoAssertionsRacingWithTheSameCounterOneWins() throws Exception {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 10);
        int n = 8;
        List<PasskeyAssertion> assertions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            assertions.add(key.signWithCounter(auth.passkeys().signInOptions().challenge(), RP_ID, 11));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<PasskeySignInResult>> results = new ArrayList<>();
            for (PasskeyAssertion a : assertions) {
                results.add(pool.submit(() -> {
                    go.await();
                    return auth.passkeys().signIn(a, ADDRESS);
                }));
            }
            go.countDown();
            long wins = 0;
            for (Future<PasskeySignInResult> f : results) {
                if (f.get(60, TimeUnit.SECONDS) instanceof PasskeySignInResult.Success) {
                    wins++;
                }
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutUserVerificationRegistrationAndSignInAreRefused() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator noUv = new SoftAuthenticator(ORIGIN, 1);
        noUv.userVerified = false;
        assertThat(auth.passkeys().register(alice.session(), noUv.register(creation(alice.session()), "k"), ADDRESS))
                .isInstanceOf(PasskeyRegistrationResult.Refused.class);

        SoftAuthenticator key = addPasskey(alice.session(), 1);
        key.userVerified = false;
        assertThat(auth.passkeys().signIn(key.sign(auth.passkeys().signInOptions()), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Refused.class);
        assertThat(eventTypes()).contains(AuthEventType.PASSKEY_FAILED);
    }

    @Test
    void withUserVerificationPreferredAPasskeyWithoutItIsOneFactor() {
        auth = build(PasskeySettings.UserVerification.PREFERRED);
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = new SoftAuthenticator(ORIGIN, 1);
        key.userVerified = false;
        assertThat(auth.passkeys().register(alice.session(), key.register(creation(alice.session()), "k"), ADDRESS))
                .isInstanceOf(PasskeyRegistrationResult.Registered.class);
        PasskeySignInResult r = auth.passkeys().signIn(key.sign(auth.passkeys().signInOptions()), ADDRESS);
        assertThat(r).isInstanceOf(PasskeySignInResult.Success.class);
        assertThat(((PasskeySignInResult.Success) r).multiFactor()).isFalse();
    }

    @Test
    void aWrongOriginOrRpIdIsRefused() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator phished = new SoftAuthenticator("https://app.example.com.evil.test", 1);
        assertThat(auth.passkeys().register(alice.session(), phished.register(creation(alice.session()), "k"), ADDRESS))
                .isInstanceOf(PasskeyRegistrationResult.Refused.class);
        SoftAuthenticator key = addPasskey(alice.session(), 1);
        key.origin = "https://evil.test";
        assertThat(auth.passkeys().signIn(key.sign(auth.passkeys().signInOptions()), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Refused.class);
        key.origin = ORIGIN;
        RequestOptions r = auth.passkeys().signInOptions();
        assertThat(auth.passkeys().signIn(key.signWithCounter(r.challenge(), "evil.test", 50), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Refused.class);
    }

    @Test
    void aPasskeyCompletesAPendingPasswordSignIn() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 1);
        String secret = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(alice.session(), ADDRESS))
                .setup().secret();
        assertThat(auth.secondFactors().confirmEnrolment(alice.session(), TestTotp.code(secret, clock.instant()), ADDRESS))
                .isInstanceOf(EnrolmentResult.Enrolled.class);

        LoginResult login = auth.sessions().login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS);
        String handle = ((LoginResult.SecondFactorRequired) login).handle();
        RequestOptions options = ((PasskeyOptionsResult.Request) auth.passkeys().secondFactorOptions(handle)).options();
        assertThat(options.allowCredentials()).containsExactly(key.id());

        // A usernameless challenge does not complete a pending sign-in.
        assertThat(auth.passkeys().completeSignIn(handle, key.sign(auth.passkeys().signInOptions()), ADDRESS,
                Optional.empty())).isInstanceOf(PasskeySignInResult.InvalidChallenge.class);

        PasskeySignInResult r = auth.passkeys().completeSignIn(handle, key.sign(options), ADDRESS, Optional.empty());
        assertThat(r).isInstanceOf(PasskeySignInResult.Success.class);
        assertThat(((PasskeySignInResult.Success) r).multiFactor()).isTrue();
        // The handle is spent.
        assertThat(auth.passkeys().secondFactorOptions(handle)).isInstanceOf(PasskeyOptionsResult.InvalidHandle.class);
        assertThat(auth.passkeys().secondFactorOptions("garbage")).isInstanceOf(PasskeyOptionsResult.InvalidHandle.class);
    }

    @Test
    void listRenameAndDeleteAndTheLastPasskeyOfAnAccountWithoutPasswordStays() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 1);
        assertThat(auth.passkeys().list(alice.session()).orElseThrow()).singleElement()
                .satisfies(p -> assertThat(p.name()).isEqualTo("Laptop"));
        assertThat(auth.passkeys().rename(alice.session(), key.id(), "Work laptop"))
                .isInstanceOf(PasskeyChangeResult.Done.class);
        assertThat(auth.passkeys().rename(alice.session(), key.id(), " "))
                .isInstanceOf(PasskeyChangeResult.Invalid.class);
        assertThat(auth.passkeys().rename(alice.session(), "nope", "x")).isInstanceOf(PasskeyChangeResult.NotFound.class);
        assertThat(auth.passkeys().list(alice.session()).orElseThrow().get(0).name()).isEqualTo("Work laptop");
        // Bob cannot touch Alice's passkey.
        RegistrationResult.Registered bob = register("bob@example.com");
        assertThat(auth.passkeys().delete(bob.session(), key.id(), ADDRESS)).isInstanceOf(PasskeyChangeResult.NotFound.class);
        // Alice has a password: her last passkey may go.
        assertThat(auth.passkeys().delete(alice.session(), key.id(), ADDRESS)).isInstanceOf(PasskeyChangeResult.Done.class);
        assertThat(mails).anyMatch(m -> m instanceof AccountMail.PasskeyRemoved p && p.passkeyName().equals("Work laptop"));
        assertThat(passkeyStore.find(key.id())).isEmpty();

        // Carol has no password, only a passkey.
        UserId carolId = UserId.random();
        stores.users().insert(new StoredUser(carolId, EmailAddress.of("carol@example.com"), new PasswordHash("!none"),
                clock.instant(), true, false, Set.of()));
        SoftAuthenticator carolKey = new SoftAuthenticator(ORIGIN, 3);
        byte[] cose = new ObjectConverter().getCborConverter().writeValueAsBytes(
                EC2COSEKey.create((ECPublicKey) carolKey.keys.getPublic(), com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier.ES256));
        passkeyStore.insert(new StoredPasskey(carolKey.id(), carolId, cose, 3, Set.of("internal"), true, true,
                carolKey.aaguid.toString(), "Phone", clock.instant(), null));
        PasskeySignInResult in = auth.passkeys().signIn(carolKey.sign(auth.passkeys().signInOptions()), ADDRESS);
        SessionToken carol = ((PasskeySignInResult.Success) in).session();
        assertThat(auth.passkeys().delete(carol, carolKey.id(), ADDRESS))
                .isInstanceOf(PasskeyChangeResult.LastCredential.class);
        assertThat(passkeyStore.find(carolKey.id())).isPresent();
    }

    @Test
    void badInputIsInvalidNeverAFault() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 1);
        RequestOptions r = auth.passkeys().signInOptions();
        PasskeyAssertion good = key.sign(r);
        assertThat(auth.passkeys().signIn(null, ADDRESS)).isInstanceOf(PasskeySignInResult.Invalid.class);
        assertThat(auth.passkeys().signIn(new PasskeyAssertion(r.challenge(), good.credentialId(), "not base64!",
                good.authenticatorData(), good.signature(), null), ADDRESS)).isInstanceOf(PasskeySignInResult.Invalid.class);
        assertThat(auth.passkeys().signIn(new PasskeyAssertion(r.challenge(), good.credentialId(), "A".repeat(100_000),
                good.authenticatorData(), good.signature(), null), ADDRESS)).isInstanceOf(PasskeySignInResult.Invalid.class);
        assertThat(auth.passkeys().signIn(new PasskeyAssertion("wrong-challenge-wrong-challenge", good.credentialId(),
                good.clientDataJson(), good.authenticatorData(), good.signature(), null), ADDRESS))
                .isInstanceOf(PasskeySignInResult.InvalidChallenge.class);
        RequestOptions r2 = auth.passkeys().signInOptions();
        PasskeyAssertion unknown = key.sign(r2);
        assertThat(auth.passkeys().signIn(new PasskeyAssertion(r2.challenge(), "AAAA", unknown.clientDataJson(),
                unknown.authenticatorData(), unknown.signature(), null), ADDRESS))
                .isInstanceOf(PasskeySignInResult.Refused.class);
        RequestOptions r3 = auth.passkeys().signInOptions();
        PasskeyAssertion garbled = key.sign(r3);
        assertThat(auth.passkeys().signIn(new PasskeyAssertion(r3.challenge(), garbled.credentialId(), "e30",
                "AAAA", garbled.signature(), null), ADDRESS)).isInstanceOf(PasskeySignInResult.Refused.class);
        CreationOptions c = creation(alice.session());
        assertThat(auth.passkeys().register(alice.session(), new PasskeyRegistration(c.challenge(), "e30", "oWNmbXQ",
                List.of(), "x"), ADDRESS)).isInstanceOf(PasskeyRegistrationResult.Refused.class);
        assertThat(auth.passkeys().register(alice.session(), new PasskeyRegistration(c.challenge(), "e30", "AAAA",
                List.of("<script>"), "x"), ADDRESS)).isInstanceOf(PasskeyRegistrationResult.Invalid.class);
    }

    @Test
    void failedPasskeysAreThrottledOnTheirOwnCounterAndNeverLockThePassword() {
        RegistrationResult.Registered alice = register("alice@example.com");
        SoftAuthenticator key = addPasskey(alice.session(), 1);
        key.origin = "https://evil.test";
        PasskeySignInResult last = null;
        for (int i = 0; i < 30 && !(last instanceof PasskeySignInResult.Throttled); i++) {
            last = auth.passkeys().signIn(key.sign(auth.passkeys().signInOptions()), ADDRESS);
        }
        assertThat(last).isInstanceOf(PasskeySignInResult.Throttled.class);
        assertThat(eventTypes()).contains(AuthEventType.PASSKEY_THROTTLED);
        assertThat(auth.sessions().login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS))
                .isInstanceOf(LoginResult.Success.class);
    }
}
