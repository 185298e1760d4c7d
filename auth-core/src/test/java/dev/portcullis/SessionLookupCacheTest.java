package dev.portcullis;

import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.internal.DigestKey;
import dev.portcullis.internal.SessionLookupCache;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.session.LoginResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.UserStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-node lookup cache of {@code Sessions.currentUser} ({@link SessionPolicy#lookupCacheTtl()}). */
class SessionLookupCacheTest {

    static final String PASSWORD = PortcullisTest.PASSWORD;
    static final String ADDRESS = PortcullisTest.ADDRESS;

    MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    AtomicInteger sessionFinds = new AtomicInteger();
    AtomicInteger userFinds = new AtomicInteger();
    SessionStore sessions = counting(SessionStore.class, new InMemorySessionStore(), "find", sessionFinds);
    UserStore users = counting(UserStore.class, new InMemoryUserStore(), "findById", userFinds);

    static <T> T counting(Class<T> type, T target, String method, AtomicInteger calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                calls.incrementAndGet();
            }
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    Portcullis auth;
    RegistrationResult.Registered alice;

    Portcullis build(SessionPolicy policy) {
        return Portcullis.builder().stores(Stores.of(users, sessions, new InMemoryAttemptStore()))
                .passwordHasher(new CountingHasher(new dev.portcullis.password.Argon2idHasher()))
                .clock(clock).sessionPolicy(policy).build();
    }

    @BeforeEach
    void setUp() {
        auth = build(SessionPolicy.builder().lookupCacheTtl(Duration.ofSeconds(2)).build());
        alice = (RegistrationResult.Registered) auth.accounts().register(
                new Registration("alice@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        sessionFinds.set(0);
        userFinds.set(0);
    }

    @Test
    void theSignInPrimesTheCacheAndARepeatedLookupWithinTheTtlReadsNoStore() {
        CurrentUser first = auth.sessions().currentUser(alice.session()).orElseThrow();
        assertThat(first).isEqualTo(alice.user());
        assertThat(sessionFinds.get()).as("the sign-in cached the session it issued").isZero();
        assertThat(userFinds.get()).isZero();
        clock.advance(Duration.ofMillis(1999));
        assertThat(auth.sessions().currentUser(alice.session())).contains(first);
        assertThat(sessionFinds.get()).isZero();
        assertThat(userFinds.get()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(auth.sessions().currentUser(alice.session())).contains(first);
        assertThat(sessionFinds.get()).as("the TTL passed: read again").isEqualTo(1);
    }

    @Test
    void aChangeMadeBehindPortcullisBackIsSeenAfterTheTtl() {
        auth.sessions().currentUser(alice.session()).orElseThrow();
        users.setRoles(alice.userId(), Set.of("admin")); // another node, or SQL
        assertThat(auth.sessions().currentUser(alice.session()).orElseThrow().hasRole("admin")).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(auth.sessions().currentUser(alice.session()).orElseThrow().hasRole("admin")).isTrue();
    }

    @Test
    void aHitStillChecksTheIdleAndAbsoluteTimeoutsAgainstTheClock() {
        Portcullis strict = build(SessionPolicy.builder().lookupCacheTtl(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofSeconds(5)).absoluteTimeout(Duration.ofSeconds(8))
                .touchInterval(Duration.ofSeconds(4)).build());
        var bob = (RegistrationResult.Registered) strict.accounts().register(
                new Registration("bob@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        assertThat(strict.sessions().currentUser(bob.session())).isPresent();
        clock.advance(Duration.ofSeconds(5));
        assertThat(strict.sessions().currentUser(bob.session())).as("idle timeout reached inside the TTL").isEmpty();

        var carol = (RegistrationResult.Registered) strict.accounts().register(
                new Registration("carol@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(strict.sessions().currentUser(carol.session())).isPresent();
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(strict.sessions().currentUser(carol.session())).as("absolute timeout reached inside the TTL").isEmpty();
    }

    @Test
    void touchingStillHappensOncePerTouchInterval() {
        Portcullis p = build(SessionPolicy.builder().lookupCacheTtl(Duration.ofSeconds(10))
                .touchInterval(Duration.ofSeconds(3)).build());
        var bob = (RegistrationResult.Registered) p.accounts().register(
                new Registration("bob@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        Instant created = sessions.find(bob.session().digest()).orElseThrow().lastSeenAt();
        p.sessions().currentUser(bob.session());
        clock.advance(Duration.ofSeconds(2));
        p.sessions().currentUser(bob.session());
        assertThat(sessions.find(bob.session().digest()).orElseThrow().lastSeenAt()).isEqualTo(created);
        clock.advance(Duration.ofSeconds(1));
        p.sessions().currentUser(bob.session());
        assertThat(sessions.find(bob.session().digest()).orElseThrow().lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void localRevocationsTakeEffectAtOnce() {
        assertThat(auth.sessions().currentUser(alice.session())).isPresent();
        auth.sessions().logout(alice.session(), ADDRESS);
        assertThat(auth.sessions().currentUser(alice.session())).as("logout").isEmpty();

        var login = (LoginResult.Success) auth.sessions().login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS);
        assertThat(auth.sessions().currentUser(login.session())).isPresent();
        auth.sessions().logoutEverywhere(alice.userId(), ADDRESS);
        assertThat(auth.sessions().currentUser(login.session())).as("logout everywhere").isEmpty();

        login = (LoginResult.Success) auth.sessions().login(new Credentials("alice@example.com", RawPassword.of(PASSWORD)), ADDRESS);
        assertThat(auth.sessions().currentUser(login.session())).isPresent();
        auth.accounts().setRoles(alice.userId(), Set.of("admin"));
        assertThat(auth.sessions().currentUser(login.session()).orElseThrow().hasRole("admin")).as("new roles").isTrue();

        auth.accounts().disable(alice.userId(), ADDRESS);
        assertThat(auth.sessions().currentUser(login.session())).as("disabled").isEmpty();
    }

    @Test
    void aPasswordChangeEndsTheCachedSession() {
        assertThat(auth.sessions().currentUser(alice.session())).isPresent();
        String next = "an entirely different passphrase 42";
        var changed = auth.accounts().changePassword(alice.session(),
                new PasswordChange(RawPassword.of(PASSWORD), RawPassword.of(next), RawPassword.of(next)), ADDRESS);
        assertThat(changed).isInstanceOf(ChangePasswordResult.Changed.class);
        assertThat(auth.sessions().currentUser(alice.session())).isEmpty();
    }

    @Test
    void zeroDisablesTheCache() {
        Portcullis uncached = build(SessionPolicy.builder().lookupCacheTtl(Duration.ZERO).build());
        uncached.sessions().currentUser(alice.session()).orElseThrow();
        uncached.sessions().currentUser(alice.session()).orElseThrow();
        assertThat(sessionFinds.get()).isEqualTo(2);
        assertThat(userFinds.get()).isEqualTo(2);
        users.setDisabled(alice.userId(), true); // behind its back: seen at once without a cache
        assertThat(uncached.sessions().currentUser(alice.session())).isEmpty();
    }

    @Test
    void theTtlIsBounded() {
        assertThat(SessionPolicy.defaults().lookupCacheTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> SessionPolicy.builder().lookupCacheTtl(Duration.ofSeconds(11)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionPolicy.builder().lookupCacheTtl(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInvalidationRacingALookupKeepsItsResultOutOfTheCache() {
        SessionLookupCache cache = new SessionLookupCache(Duration.ofSeconds(1));
        SessionRecord record = sessions.find(alice.session().digest()).orElseThrow();
        CurrentUser user = auth.sessions().currentUser(alice.session()).orElseThrow();
        long before = cache.generation();
        cache.invalidateUser(alice.userId()); // e.g. a logout that ran while the stores were read
        cache.put(record.id(), record, record.lastSeenAt(), user, clock.instant(), before);
        assertThat(cache.get(DigestKey.of(record.id()), clock.instant(), SessionPolicy.defaults())).isNull();
        cache.put(record.id(), record, record.lastSeenAt(), user, clock.instant(), cache.generation());
        assertThat(cache.get(DigestKey.of(record.id()), clock.instant(), SessionPolicy.defaults())).contains(user);
    }
}
