package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issuing tokens from credentials follows the same rules as a form login; the builder checks its input. */
class TokenIssueTest {

    TokenFixture f;

    @BeforeEach
    void setUp() {
        f = new TokenFixture();
        f.register("alice@example.com");
    }

    @Test
    void issueWhenCredentialsRightThenTokens() {
        TokenIssueResult r = f.tokens.issue(TokenFixture.credentials("ALICE@example.com", TokenFixture.PASSWORD), TokenFixture.ADDRESS);

        assertThat(r).isInstanceOf(TokenIssueResult.Issued.class);
        TokenPair pair = ((TokenIssueResult.Issued) r).tokens();
        assertThat(pair.tokenType()).isEqualTo("Bearer");
        assertThat(pair.toString()).doesNotContain(pair.accessToken(), pair.refreshToken());
    }

    @Test
    void issueWhenPasswordWrongOrEmailUnknownThenTheSameInvalidCredentials() {
        assertThat(f.tokens.issue(TokenFixture.credentials("alice@example.com", "wrong password entirely"), TokenFixture.ADDRESS))
                .isEqualTo(new TokenIssueResult.InvalidCredentials());
        assertThat(f.tokens.issue(TokenFixture.credentials("nobody@example.com", TokenFixture.PASSWORD), TokenFixture.ADDRESS))
                .isEqualTo(new TokenIssueResult.InvalidCredentials());
    }

    @Test
    void issueWhenInputInvalidThenFieldErrors() {
        TokenIssueResult r = f.tokens.issue(TokenFixture.credentials("not an email", TokenFixture.PASSWORD), TokenFixture.ADDRESS);

        assertThat(r).isInstanceOf(TokenIssueResult.Invalid.class);
        assertThat(((TokenIssueResult.Invalid) r).errors().byField()).containsKey("email");
    }

    @Test
    void issueWhenRepeatedlyWrongThenThrottledLikeFormLogin() {
        TokenIssueResult last = null;
        for (int i = 0; i < 30 && !(last instanceof TokenIssueResult.Throttled); i++) {
            last = f.tokens.issue(TokenFixture.credentials("alice@example.com", "wrong password entirely"), TokenFixture.ADDRESS);
        }

        assertThat(last).isInstanceOf(TokenIssueResult.Throttled.class);
        assertThat(((TokenIssueResult.Throttled) last).retryAfter()).isPositive();
        assertThat(f.tokens.issue(TokenFixture.credentials("alice@example.com", TokenFixture.PASSWORD), TokenFixture.ADDRESS))
                .isInstanceOf(TokenIssueResult.Throttled.class);
    }

    @Test
    void builderNamesWhatIsMissingAndRefusesUnsafeSettings() {
        assertThatThrownBy(() -> TokenSettings.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keys is required");
        assertThatThrownBy(() -> TokenSettings.builder().keys(f.keys)
                .issuer(TokenFixture.ISSUER).build()).hasMessageContaining("audience is required");
        assertThatThrownBy(() -> TokenSettings.builder().clockSkew(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSettings.builder().accessTokenLifetime(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSettings.builder().issuer(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSettings.builder().keys(f.keys)
                .issuer(TokenFixture.ISSUER).audience(TokenFixture.AUDIENCE)
                .refreshTokenLifetime(Duration.ofDays(30)).refreshTokenMaxLifetime(Duration.ofDays(7)).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void accessTokenLifetimeIsConfigurable() {
        f = new TokenFixture(b -> b.accessTokenLifetime(Duration.ofMinutes(2)));
        f.register("alice@example.com");
        TokenPair pair = f.issue("alice@example.com").tokens();

        assertThat(pair.expiresIn()).isEqualTo(Duration.ofMinutes(2));
        f.clock.advance(Duration.ofMinutes(2).plusSeconds(30));
        assertThat(f.tokens.verifyAccessToken(pair.accessToken()))
                .isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.EXPIRED));
    }
}
