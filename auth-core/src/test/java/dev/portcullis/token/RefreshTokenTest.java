package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rotation on every use, reuse detection that revokes the family, expiry, revoke. */
class RefreshTokenTest {

    TokenFixture f;
    TokenIssueResult.Issued issued;

    @BeforeEach
    void setUp() {
        f = new TokenFixture();
        f.register("alice@example.com");
        issued = f.issue("alice@example.com");
    }

    RefreshResult.Refreshed refreshed(String token) {
        RefreshResult r = f.tokens.refresh(token);
        assertThat(r).isInstanceOf(RefreshResult.Refreshed.class);
        return (RefreshResult.Refreshed) r;
    }

    @Test
    void refreshGivesANewPairForTheSameUser() {
        f.clock.advance(Duration.ofMinutes(9));

        RefreshResult.Refreshed r = refreshed(issued.tokens().refreshToken());

        assertThat(r.userId()).isEqualTo(issued.userId());
        assertThat(r.tokens().refreshToken()).isNotEqualTo(issued.tokens().refreshToken()).hasSize(43);
        AccessTokenVerification v = f.tokens.verifyAccessToken(r.tokens().accessToken());
        assertThat(v).isInstanceOf(AccessTokenVerification.Valid.class);
        assertThat(((AccessTokenVerification.Valid) v).issuedAt()).isEqualTo(f.clock.instant());
    }

    @Test
    void refreshTokensAreStoredOnlyAsDigests() {
        String token = issued.tokens().refreshToken();

        assertThat(f.refreshTokens.find(TokenDigest.of(token))).get()
                .satisfies(rec -> assertThat(rec.toString()).doesNotContain(token))
                .satisfies(rec -> assertThat(rec.userId()).isEqualTo(issued.userId()));
    }

    @Test
    void successorKeepsRotating() {
        String t = issued.tokens().refreshToken();
        for (int i = 0; i < 5; i++) {
            f.clock.advance(Duration.ofMinutes(10));
            t = refreshed(t).tokens().refreshToken();
        }

        assertThat(f.tokens.verifyAccessToken(refreshed(t).tokens().accessToken()))
                .isInstanceOf(AccessTokenVerification.Valid.class);
    }

    @Test
    void reusingARotatedTokenRevokesTheWholeFamily() {
        String first = issued.tokens().refreshToken();
        String second = refreshed(first).tokens().refreshToken();
        String third = refreshed(second).tokens().refreshToken();

        assertThat(f.tokens.refresh(first)).isEqualTo(new RefreshResult.Refused(TokenRefusal.REUSED));

        assertThat(f.tokens.refresh(third)).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        assertThat(f.tokens.refresh(second)).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
    }

    @Test
    void reuseRevokesOnlyThatFamily() {
        String other = f.issue("alice@example.com").tokens().refreshToken();
        String first = issued.tokens().refreshToken();
        refreshed(first);

        f.tokens.refresh(first);

        assertThat(f.tokens.refresh(other)).isInstanceOf(RefreshResult.Refreshed.class);
    }

    @RepeatedTest(5)
    void concurrentRefreshesOfOneTokenRotateExactlyOnceAndRevokeTheFamily() throws Exception {
        String token = issued.tokens().refreshToken();

        List<RefreshResult> results = Race.run(16, () -> f.tokens.refresh(token));

        List<RefreshResult.Refreshed> winners = results.stream()
                .filter(RefreshResult.Refreshed.class::isInstance).map(RefreshResult.Refreshed.class::cast).toList();
        assertThat(winners).hasSize(1);
        assertThat(results).filteredOn(r -> !(r instanceof RefreshResult.Refreshed))
                .allMatch(r -> r.equals(new RefreshResult.Refused(TokenRefusal.REUSED))
                        || r.equals(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN)));
        // RFC 9700: two uses of one token cannot be told apart from theft; the family is dead.
        assertThat(f.tokens.refresh(winners.get(0).tokens().refreshToken()))
                .isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
    }

    @Test
    void unusedTokenExpiresAfterItsLifetime() {
        f.clock.advance(Duration.ofDays(14).minusSeconds(1));
        String next = refreshed(issued.tokens().refreshToken()).tokens().refreshToken();

        f.clock.advance(Duration.ofDays(14));

        assertThat(f.tokens.refresh(next)).isEqualTo(new RefreshResult.Refused(TokenRefusal.EXPIRED));
    }

    @Test
    void familyEndsAtItsAbsoluteLifetimeHoweverOftenItRotates() {
        String t = issued.tokens().refreshToken();
        for (int day = 10; day < 90; day += 10) {
            f.clock.advance(Duration.ofDays(10));
            t = refreshed(t).tokens().refreshToken();
        }
        f.clock.advance(Duration.ofDays(9).plusHours(23));
        t = refreshed(t).tokens().refreshToken();

        f.clock.advance(Duration.ofHours(1));

        assertThat(f.tokens.refresh(t)).isEqualTo(new RefreshResult.Refused(TokenRefusal.EXPIRED));
    }

    @Test
    void revokeEndsTheFamilyOnly() {
        String other = f.issue("alice@example.com").tokens().refreshToken();
        String first = issued.tokens().refreshToken();
        String second = refreshed(first).tokens().refreshToken();

        assertThat(f.tokens.revoke(second)).isTrue();

        assertThat(f.tokens.refresh(second)).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        assertThat(f.tokens.refresh(first)).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        assertThat(f.tokens.revoke(second)).isFalse();
        assertThat(f.tokens.refresh(other)).isInstanceOf(RefreshResult.Refreshed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "pcl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedRefreshTokensAreRefused(String token) {
        assertThat(f.tokens.refresh(token)).isEqualTo(new RefreshResult.Refused(TokenRefusal.MALFORMED));
        assertThat(f.tokens.revoke(token)).isFalse();
    }

    @Test
    void unknownRefreshTokenIsRefused() {
        assertThat(f.tokens.refresh("A".repeat(43))).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        assertThat(f.tokens.refresh(null)).isEqualTo(new RefreshResult.Refused(TokenRefusal.MALFORMED));
    }

    @Test
    void purgeRemovesExpiredTokensOnly() {
        String used = issued.tokens().refreshToken();
        String live = refreshed(used).tokens().refreshToken();
        f.clock.advance(Duration.ofDays(13));
        String fresh = refreshed(live).tokens().refreshToken();
        f.clock.advance(Duration.ofDays(2));

        assertThat(f.tokens.purgeExpired()).isEqualTo(2);

        assertThat(f.tokens.refresh(fresh)).isInstanceOf(RefreshResult.Refreshed.class);
    }
}
