package dev.portcullis.token;

import dev.portcullis.PortcullisBuilder;
import dev.portcullis.Portcullis;
import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.RegistrationResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.memory.InMemoryApiKeyStore;
import dev.portcullis.memory.InMemoryRefreshTokenStore;
import dev.portcullis.memory.InMemoryTokenEpochStore;
import dev.portcullis.model.RawPassword;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The credential revoker, registered with Portcullis, ends tokens when all credentials must die. */
class RevocationTest {

    @Nested
    class Default {

        final TokenFixture f = new TokenFixture();
        final RegistrationResult.Registered alice = f.register("alice@example.com");
        final TokenIssueResult.Issued first = f.issue("alice@example.com");
        final TokenIssueResult.Issued second = f.issue("alice@example.com");
        final String apiKey = ((ApiKeyResult.Created) f.apiKeys.create(alice.userId(), "ci", Set.of("read"),
                Duration.ofDays(30))).secret();

        @Test
        void logoutEverywhereRevokesRefreshTokensAndApiKeys() {
            f.register("bob@example.com");
            String bobs = f.issue("bob@example.com").tokens().refreshToken();

            f.auth.sessions().logoutEverywhere(alice.userId(), TokenFixture.ADDRESS);

            assertThat(f.tokens.refresh(first.tokens().refreshToken())).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
            assertThat(f.tokens.refresh(second.tokens().refreshToken())).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
            assertThat(f.tokens.resolveBearer(apiKey)).isEqualTo(new BearerResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
            assertThat(f.tokens.refresh(bobs)).isInstanceOf(RefreshResult.Refreshed.class);
        }

        @Test
        void withoutStrictModeAccessTokensLiveUntilTheyExpire() {
            f.auth.sessions().logoutEverywhere(alice.userId(), TokenFixture.ADDRESS);

            assertThat(f.tokens.verifyAccessToken(first.tokens().accessToken())).isInstanceOf(AccessTokenVerification.Valid.class);
        }

        @Test
        void passwordChangeRevokesRefreshTokens() {
            ChangePasswordResult changed = f.auth.accounts().changePassword(alice.session(), new PasswordChange(
                    RawPassword.of(TokenFixture.PASSWORD), RawPassword.of(TokenFixture.NEW_PASSWORD),
                    RawPassword.of(TokenFixture.NEW_PASSWORD)), TokenFixture.ADDRESS);

            assertThat(changed).isInstanceOf(ChangePasswordResult.Changed.class);
            assertThat(f.tokens.refresh(first.tokens().refreshToken())).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
            assertThat(f.tokens.resolveBearer(apiKey)).isEqualTo(new BearerResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        }

        @Test
        void disablingTheAccountRevokesRefreshTokensAndNoNewOnesAreIssued() {
            f.auth.accounts().disable(alice.userId(), TokenFixture.ADDRESS);

            assertThat(f.tokens.refresh(first.tokens().refreshToken())).isEqualTo(new RefreshResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
            assertThat(f.tokens.issue(TokenFixture.credentials("alice@example.com", TokenFixture.PASSWORD), TokenFixture.ADDRESS))
                    .isInstanceOf(TokenIssueResult.InvalidCredentials.class);
        }
    }

    @Nested
    class Strict {

        final TokenFixture f = new TokenFixture(b -> b.strictMode(true, Duration.ofSeconds(5)));
        final RegistrationResult.Registered alice = f.register("alice@example.com");
        final String token = f.issue("alice@example.com").tokens().accessToken();

        @Test
        void logoutEverywhereKillsOutstandingAccessTokensAtOnce() {
            assertThat(f.tokens.verifyAccessToken(token)).isInstanceOf(AccessTokenVerification.Valid.class);

            f.auth.sessions().logoutEverywhere(alice.userId(), TokenFixture.ADDRESS);

            assertThat(f.tokens.verifyAccessToken(token)).isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.REVOKED));
            assertThat(f.tokens.resolveBearer(token)).isEqualTo(new BearerResult.Refused(TokenRefusal.REVOKED));
        }

        @Test
        void tokensIssuedAfterTheRevocationAreValid() {
            f.auth.sessions().logoutEverywhere(alice.userId(), TokenFixture.ADDRESS);

            String fresh = f.issue("alice@example.com").tokens().accessToken();

            assertThat(f.tokens.verifyAccessToken(fresh)).isInstanceOf(AccessTokenVerification.Valid.class);
            assertThat(f.tokens.verifyAccessToken(token)).isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.REVOKED));
        }

        @Test
        void passwordChangeKillsOutstandingAccessTokens() {
            f.auth.accounts().changePassword(alice.session(), new PasswordChange(RawPassword.of(TokenFixture.PASSWORD),
                    RawPassword.of(TokenFixture.NEW_PASSWORD), RawPassword.of(TokenFixture.NEW_PASSWORD)), TokenFixture.ADDRESS);

            assertThat(f.tokens.verifyAccessToken(token)).isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.REVOKED));
        }

        @Test
        void otherUsersTokensAreUntouched() {
            f.register("bob@example.com");
            String bobs = f.issue("bob@example.com").tokens().accessToken();

            f.auth.sessions().logoutEverywhere(alice.userId(), TokenFixture.ADDRESS);

            assertThat(f.tokens.verifyAccessToken(bobs)).isInstanceOf(AccessTokenVerification.Valid.class);
        }

        @Test
        void anotherNodeSeesTheRevocationOnceItsEpochCacheAgesOut() {
            // Node B shares the stores but has its own caches; node A's revoker runs.
            InMemoryTokenEpochStore epochs = new InMemoryTokenEpochStore();
            InMemoryRefreshTokenStore refresh = new InMemoryRefreshTokenStore();
            InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
            TokenState nodeA = new TokenState(refresh, keys, java.util.Optional.of(epochs));
            Portcullis nodeB = Portcullis.builder()
                    .stores(dev.portcullis.Stores.of(f.users, new dev.portcullis.memory.InMemorySessionStore(),
                                    new dev.portcullis.memory.InMemoryAttemptStore())
                            .withRefreshTokens(refresh).withApiKeys(keys).withTokenEpochs(epochs))
                    .passwordHasher(TokenFixture.HASHER).clock(f.clock)
                    .tokens(TokenSettings.builder().keys(f.keys).issuer(TokenFixture.ISSUER).audience(TokenFixture.AUDIENCE)
                            .strictMode(true, Duration.ofSeconds(5)).build())
                    .build();
            Tokens b = nodeB.tokens();
            String onB = ((TokenIssueResult.Issued) b.issue(TokenFixture.credentials("alice@example.com",
                    TokenFixture.PASSWORD), TokenFixture.ADDRESS)).tokens().accessToken();
            assertThat(b.verifyAccessToken(onB)).isInstanceOf(AccessTokenVerification.Valid.class);

            nodeA.revokeAll(alice.userId());

            f.clock.advance(Duration.ofSeconds(4));
            assertThat(b.verifyAccessToken(onB)).isInstanceOf(AccessTokenVerification.Valid.class);
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(b.verifyAccessToken(onB)).isEqualTo(new AccessTokenVerification.Invalid(TokenRefusal.REVOKED));
        }

        @Test
        void strictModeNeedsAnEpochStore() {
            PortcullisBuilder builder = Portcullis.builder()
                    .stores(dev.portcullis.Stores.of(f.users, new dev.portcullis.memory.InMemorySessionStore(),
                                    new dev.portcullis.memory.InMemoryAttemptStore())
                            .withRefreshTokens(new InMemoryRefreshTokenStore()).withApiKeys(new InMemoryApiKeyStore()))
                    .passwordHasher(TokenFixture.HASHER)
                    .tokens(TokenSettings.builder().keys(f.keys).issuer(TokenFixture.ISSUER).audience(TokenFixture.AUDIENCE)
                            .strictMode(true, Duration.ofSeconds(5)).build());

            assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("TokenEpochStore");
        }
    }
}
