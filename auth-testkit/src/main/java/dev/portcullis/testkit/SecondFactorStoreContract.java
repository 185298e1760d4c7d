package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SecondFactorStore;
import dev.portcullis.spi.TotpEnrolment;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SecondFactorStore}. Extend it and implement {@link #createStore()}.
 * Instants are whole milliseconds. The races run 20 threads at once: what makes a TOTP code or a
 * recovery code usable once is that exactly one of them wins.
 */
public abstract class SecondFactorStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00.250Z"));
    protected SecondFactorStore store;

    /** A new, empty store; called before each test. */
    protected abstract SecondFactorStore createStore();

    @BeforeEach
    final void createStoreUnderTest() {
        store = createStore();
    }

    private static String sealed() {
        byte[] b = new byte[48];
        RANDOM.nextBytes(b);
        return "v1." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static TokenDigest digest() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new TokenDigest(HexFormat.of().formatHex(b));
    }

    protected TotpEnrolment pending(UserId user) {
        return new TotpEnrolment(user, sealed(), clock.instant(), null, -1);
    }

    /** A confirmed enrolment at {@code step}. */
    protected TotpEnrolment confirmed(UserId user, long step) {
        TotpEnrolment p = pending(user);
        assertThat(store.savePendingTotp(p)).isTrue();
        assertThat(store.confirmTotp(user, p.sealedSecret(), step, clock.instant())).isTrue();
        return store.findTotp(user).orElseThrow();
    }

    @Test
    void aPendingEnrolmentRoundTripsEveryField() {
        UserId user = UserId.random();
        TotpEnrolment p = new TotpEnrolment(user, "v1." + "A".repeat(252), clock.instant(), null, -1);

        assertThat(store.savePendingTotp(p)).isTrue();

        assertThat(store.findTotp(user)).contains(p);
        assertThat(store.findTotp(UserId.random())).isEmpty();
    }

    @Test
    void aNewPendingEnrolmentReplacesAPendingOneButNeverAConfirmedOne() {
        UserId user = UserId.random();
        store.savePendingTotp(pending(user));
        TotpEnrolment second = pending(user);
        assertThat(store.savePendingTotp(second)).isTrue();
        assertThat(store.findTotp(user)).contains(second);

        TotpEnrolment done = confirmed(UserId.random(), 100);
        assertThat(store.savePendingTotp(pending(done.userId()))).isFalse();
        assertThat(store.findTotp(done.userId())).contains(done);
    }

    @Test
    void confirmationSetsTheStepAndTimeAndHappensOnce() {
        UserId user = UserId.random();
        TotpEnrolment p = pending(user);
        store.savePendingTotp(p);
        clock.advance(Duration.ofSeconds(40));

        assertThat(store.confirmTotp(user, "v1.other", 7, clock.instant())).as("another secret").isFalse();
        assertThat(store.confirmTotp(user, p.sealedSecret(), 7, clock.instant())).isTrue();
        assertThat(store.confirmTotp(user, p.sealedSecret(), 8, clock.instant())).as("again").isFalse();

        TotpEnrolment found = store.findTotp(user).orElseThrow();
        assertThat(found.confirmedAt()).isEqualTo(clock.instant());
        assertThat(found.lastUsedStep()).isEqualTo(7);
        assertThat(found.sealedSecret()).isEqualTo(p.sealedSecret());
        assertThat(found.createdAt()).isEqualTo(p.createdAt());
    }

    @Test
    void theStepOnlyMovesForwardAndOnlyWhenConfirmed() {
        UserId pendingUser = UserId.random();
        store.savePendingTotp(pending(pendingUser));
        assertThat(store.advanceTotpStep(pendingUser, 5)).as("pending").isFalse();

        UserId user = confirmed(UserId.random(), 100).userId();
        assertThat(store.advanceTotpStep(user, 100)).as("the same step").isFalse();
        assertThat(store.advanceTotpStep(user, 99)).as("an older step").isFalse();
        assertThat(store.advanceTotpStep(user, 101)).isTrue();
        assertThat(store.advanceTotpStep(user, 101)).isFalse();
        assertThat(store.findTotp(user).orElseThrow().lastUsedStep()).isEqualTo(101);
        assertThat(store.advanceTotpStep(UserId.random(), 1)).as("unknown user").isFalse();
    }

    @Test
    void twentyRacingAdvancesToOneStepSucceedExactlyOnce() {
        UserId user = confirmed(UserId.random(), 1_000).userId();

        List<Boolean> results = Concurrently.run(20, i -> () -> store.advanceTotpStep(user, 1_001));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(store.findTotp(user).orElseThrow().lastUsedStep()).isEqualTo(1_001);
    }

    @Test
    void twentyRacingAdvancesToMixedStepsNeverGoBack() {
        UserId user = confirmed(UserId.random(), 1_000).userId();

        List<Boolean> results = Concurrently.run(20, i -> () -> store.advanceTotpStep(user, 1_001 + i % 3));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSizeBetween(1, 3);
        assertThat(store.findTotp(user).orElseThrow().lastUsedStep()).isEqualTo(1_003);
    }

    @Test
    void deleteRemovesTheEnrolment() {
        UserId user = confirmed(UserId.random(), 1).userId();

        assertThat(store.deleteTotp(user)).isTrue();
        assertThat(store.findTotp(user)).isEmpty();
        assertThat(store.deleteTotp(user)).isFalse();
        assertThat(store.savePendingTotp(pending(user))).isTrue();
    }

    @Test
    void recoveryCodesAreUsableOnceAndOnlyByTheirUser() {
        UserId alice = UserId.random();
        UserId bob = UserId.random();
        List<TokenDigest> codes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            codes.add(digest());
        }
        store.replaceRecoveryCodes(alice, codes, clock.instant());

        assertThat(store.countRecoveryCodes(alice)).isEqualTo(10);
        assertThat(store.useRecoveryCode(bob, codes.get(0))).as("another user's").isFalse();
        assertThat(store.useRecoveryCode(alice, codes.get(0))).isTrue();
        assertThat(store.useRecoveryCode(alice, codes.get(0))).as("again").isFalse();
        assertThat(store.useRecoveryCode(alice, digest())).isFalse();
        assertThat(store.countRecoveryCodes(alice)).isEqualTo(9);
        assertThat(store.countRecoveryCodes(bob)).isZero();
    }

    @Test
    void replacingVoidsTheOldSet() {
        UserId user = UserId.random();
        TokenDigest old = digest();
        store.replaceRecoveryCodes(user, List.of(old, digest()), clock.instant());
        TokenDigest fresh = digest();

        store.replaceRecoveryCodes(user, List.of(fresh), clock.instant());

        assertThat(store.useRecoveryCode(user, old)).isFalse();
        assertThat(store.countRecoveryCodes(user)).isEqualTo(1);
        assertThat(store.useRecoveryCode(user, fresh)).isTrue();
        store.replaceRecoveryCodes(user, List.of(digest()), clock.instant());
        store.replaceRecoveryCodes(user, List.of(), clock.instant());
        assertThat(store.countRecoveryCodes(user)).isZero();
    }

    @Test
    void twentyRacingUsesOfOneRecoveryCodeSucceedExactlyOnce() {
        UserId user = UserId.random();
        TokenDigest code = digest();
        store.replaceRecoveryCodes(user, List.of(code, digest()), clock.instant());

        List<Boolean> results = Concurrently.run(20, i -> () -> store.useRecoveryCode(user, code));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(store.countRecoveryCodes(user)).isEqualTo(1);
    }
}
