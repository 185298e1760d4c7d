package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryOneTimeTokenStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.UserId;
import dev.portcullis.policy.ThrottlePolicy;
import dev.portcullis.session.LoginResult;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.StoredUser;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 2: device cookies (OWASP "Blocking Brute Force Attacks"). Wrong guesses spaced by
 * Retry-After from ever new addresses keep an account throttled; before, that locked its owner out
 * too. Now a browser that signed in before presents its device token and gets its own budget.
 */
class DeviceCookieTest {

    static final String OWNER = "owner@example.com";
    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String HOME = "192.0.2.10";

    final MutableClock clock = MutableClock.startingAt("2026-05-01T08:00:00Z");
    final InMemoryUserStore users = new InMemoryUserStore();
    final InMemorySessionStore sessions = new InMemorySessionStore();
    final InMemoryAttemptStore attempts = new InMemoryAttemptStore();
    final CountingHasher hasher = new CountingHasher(new FastHasher());
    final List<AccountMail> mails = new CopyOnWriteArrayList<>();
    Portcullis auth;

    PortcullisBuilder builder() {
        return Portcullis.builder()
                .stores(Stores.of(users, sessions, attempts).withOneTimeTokens(new InMemoryOneTimeTokenStore()))
                .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
                .passwordHasher(hasher).clock(clock);
    }

    @BeforeEach
    void ownerHasAnAccount() {
        auth = builder().build();
        addUser(OWNER);
    }

    void addUser(String email) {
        try (RawPassword p = RawPassword.of(PASSWORD)) {
            users.insert(new StoredUser(UserId.random(), EmailAddress.of(email), hasher.hash(p), clock.instant(), true, false, Set.of()));
        }
    }

    LoginResult login(Portcullis p, String email, String password, String address, Optional<DeviceToken> device) {
        return p.sessions().login(new Credentials(email, RawPassword.of(password)), address, device);
    }

    LoginResult login(String email, String password, String address, Optional<DeviceToken> device) {
        return login(auth, email, password, address, device);
    }

    DeviceToken ownersDevice() {
        return ((LoginResult.Success) login(OWNER, PASSWORD, HOME, Optional.empty())).device();
    }

    /** The attack of the issue: each wrong guess from a new address, waiting out Retry-After first. */
    void attackerKeepsTheAccountThrottled(String email, int guesses, String network) {
        for (int i = 0; i < guesses; i++) {
            String from = network + i;
            LoginResult r = login(email, "wrong guess number " + i, from, Optional.empty());
            if (r instanceof LoginResult.Throttled t) {
                clock.advance(t.retryAfter());
                r = login(email, "wrong guess number " + i, from, Optional.empty());
            }
            assertThat(r).as("guess %d, after waiting", i).isInstanceOf(LoginResult.InvalidCredentials.class);
        }
    }

    long noticesTo(String email) {
        return mails.stream().filter(m -> m instanceof AccountMail.SignInThrottled && m.to().canonical().equals(email)).count();
    }

    @Test
    void theAttackersPatternKeepsUntrustedClientsThrottledWhileTheOwnersDeviceSignsInAtOnce() {
        DeviceToken device = ownersDevice();

        attackerKeepsTheAccountThrottled(OWNER, 30, "203.0.113.");

        assertThat(login(OWNER, PASSWORD, "198.51.100.1", Optional.empty())).as("the owner on a new browser")
                .isInstanceOf(LoginResult.Throttled.class);
        assertThat(login(OWNER, "another wrong guess", "198.51.100.2", Optional.empty())).as("the attacker")
                .isInstanceOf(LoginResult.Throttled.class);
        LoginResult owner = login(OWNER, PASSWORD, HOME, Optional.of(device));
        assertThat(owner).as("the owner's browser, at once").isInstanceOf(LoginResult.Success.class);
        assertThat(login(OWNER, "yet another guess", "198.51.100.3", Optional.empty()))
                .as("the owner's sign-in hands the attacker no fresh budget").isInstanceOf(LoginResult.Throttled.class);
        assertThat(login(OWNER, PASSWORD, "198.51.100.4", Optional.of(((LoginResult.Success) owner).device())))
                .as("the fresh token works from anywhere").isInstanceOf(LoginResult.Success.class);
        assertThat(noticesTo(OWNER)).as("the owner is told once").isEqualTo(1);
    }

    @Test
    void theOwnerIsMailedAtMostOncePerWindowAndNeverAboutAnAccountThatDoesNotExist() {
        attackerKeepsTheAccountThrottled(OWNER, 12, "203.0.113.");
        attackerKeepsTheAccountThrottled("nobody@example.com", 12, "203.0.114.");
        assertThat(noticesTo(OWNER)).isEqualTo(1);
        assertThat(mails).hasSize(1);

        clock.advance(Duration.ofHours(24));
        attackerKeepsTheAccountThrottled(OWNER, 6, "203.0.115.");
        assertThat(noticesTo(OWNER)).as("a new window, a new notice").isEqualTo(2);
        assertThat(mails.get(0).toString()).doesNotContain("203.0.113");
    }

    @Test
    void aDeviceTokenIsBoundToItsAccount() {
        addUser("bob@example.com");
        DeviceToken alices = ownersDevice();
        attackerKeepsTheAccountThrottled("bob@example.com", 10, "203.0.113.");

        assertThat(login("bob@example.com", PASSWORD, HOME, Optional.of(alices))).isInstanceOf(LoginResult.Throttled.class);
    }

    @Test
    void aForgedTamperedOrExpiredTokenCountsAsNone() {
        DeviceToken device = ownersDevice();
        String v = device.value();
        char last = v.charAt(v.length() - 1);
        DeviceToken tampered = new DeviceToken(v.substring(0, v.length() - 1) + (last == 'A' ? 'B' : 'A'));
        String[] parts = v.split("\\.");
        DeviceToken redated = new DeviceToken(parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2]);
        DeviceToken forged = DeviceToken.parse("A".repeat(22) + "." + clock.instant().getEpochSecond() + "." + "B".repeat(43)).orElseThrow();
        attackerKeepsTheAccountThrottled(OWNER, 10, "203.0.113.");

        for (DeviceToken bad : List.of(tampered, redated, forged)) {
            assertThat(login(OWNER, PASSWORD, HOME, Optional.of(bad))).as(bad.value()).isInstanceOf(LoginResult.Throttled.class);
        }
        LoginResult trusted = login(OWNER, PASSWORD, HOME, Optional.of(device));
        assertThat(trusted).isInstanceOf(LoginResult.Success.class);

        DeviceToken old = ((LoginResult.Success) trusted).device();
        clock.advance(ThrottlePolicy.defaults().deviceTokenLifetime());
        attackerKeepsTheAccountThrottled(OWNER, 10, "203.0.116.");
        assertThat(login(OWNER, PASSWORD, HOME, Optional.of(old))).as("expired").isInstanceOf(LoginResult.Throttled.class);
    }

    @Test
    void aDeviceWithTooManyFailuresIsThrottledOnItsOwnBudgetAndTheAccountsIsUntouched() {
        DeviceToken device = ownersDevice();
        int free = ThrottlePolicy.defaults().freeFailures();
        for (int i = 0; i < free; i++) {
            assertThat(login(OWNER, "typo " + i, HOME, Optional.of(device))).isInstanceOf(LoginResult.InvalidCredentials.class);
        }

        assertThat(login(OWNER, PASSWORD, HOME, Optional.of(device))).as("the device lost its trust for now")
                .isEqualTo(new LoginResult.Throttled(Duration.ofSeconds(1)));
        assertThat(login(OWNER, PASSWORD, "198.51.100.9", Optional.empty())).as("the account-wide budget is another one")
                .isInstanceOf(LoginResult.Success.class);
        assertThat(noticesTo(OWNER)).as("the device's own failures are no attack on the account").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(login(OWNER, PASSWORD, HOME, Optional.of(device))).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void parallelGuessesOnOneDeviceGetNoMoreVerifiesThanItsFreeFailures() throws Exception {
        Portcullis wide = builder().hashingLimits(32, Duration.ofSeconds(30)).build();
        DeviceToken device = ((LoginResult.Success) login(wide, OWNER, PASSWORD, HOME, Optional.empty())).device();
        hasher.reset();

        List<LoginResult> burst = PortcullisTest.Races.run(30,
                i -> login(wide, OWNER, "guess number " + i, "198.51.100." + i, Optional.of(device)));

        int free = ThrottlePolicy.defaults().freeFailures();
        assertThat(hasher.verifies).as("reserved before the verify, like the account's budget").hasValue(free);
        assertThat(burst).filteredOn(r -> r instanceof LoginResult.InvalidCredentials).hasSize(free);
        assertThat(burst).filteredOn(r -> r instanceof LoginResult.Throttled).hasSize(30 - free);
        assertThat(login(wide, OWNER, PASSWORD, "198.51.100.99", Optional.empty())).as("the account-wide budget is untouched")
                .isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void nodesGivenTheSameKeyTrustEachOthersTokens() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        Portcullis nodeA = builder().deviceTokenKey(key).build();
        Portcullis nodeB = builder().deviceTokenKey(key.clone()).build();
        Portcullis stranger = builder().build();
        DeviceToken device = ((LoginResult.Success) login(nodeA, OWNER, PASSWORD, HOME, Optional.empty())).device();
        attackerKeepsTheAccountThrottled(OWNER, 10, "203.0.113.");

        assertThat(login(nodeB, OWNER, PASSWORD, HOME, Optional.of(device))).isInstanceOf(LoginResult.Success.class);
        assertThat(login(stranger, OWNER, PASSWORD, HOME, Optional.of(device))).as("random key by default")
                .isInstanceOf(LoginResult.Throttled.class);
        assertThatThrownBy(() -> Portcullis.builder().deviceTokenKey(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void everySuccessCarriesAFreshRedactedTokenAndGarbageDoesNotParse() {
        DeviceToken first = ownersDevice();
        DeviceToken second = ownersDevice();

        assertThat(second).isNotEqualTo(first);
        assertThat(first.toString()).doesNotContain(first.value());
        assertThat(DeviceToken.parse(first.value())).contains(first);
        for (String garbage : List.of("", "garbage", first.value() + "x", first.value().replace('.', ':'),
                "A".repeat(22) + ".." + "B".repeat(43), "A".repeat(22) + ".12x." + "B".repeat(43),
                "A".repeat(22) + ".1234567890123." + "B".repeat(43), "A".repeat(21) + "!.1." + "B".repeat(43))) {
            assertThat(DeviceToken.parse(garbage)).as(garbage).isEmpty();
        }
        assertThat(DeviceToken.parse(null)).isEmpty();
        assertThat(auth.sessions().deviceTokenLifetime()).isEqualTo(Duration.ofDays(180));
    }
}
