package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Personal access tokens: created and shown once, stored hashed, scoped, listed, expiring, revocable. */
class ApiKeyTest {

    final TokenFixture f = new TokenFixture();
    final UserId alice = UserId.random();
    final UserId bob = UserId.random();

    ApiKeyResult.Created create(UserId user, String name, Set<String> scopes, Duration lifetime) {
        ApiKeyResult r = f.apiKeys.create(user, name, scopes, lifetime);
        assertThat(r).isInstanceOf(ApiKeyResult.Created.class);
        return (ApiKeyResult.Created) r;
    }

    @Test
    void createdKeyAuthenticatesWithItsScopes() {
        ApiKeyResult.Created created = create(alice, "  deploy script ", Set.of("repo:read", "repo:write"), Duration.ofDays(30));

        assertThat(created.secret()).startsWith("pcl_").hasSize(47);
        assertThat(created.key().name()).isEqualTo("deploy script");
        assertThat(created.key().expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(30)));
        assertThat(created.toString()).doesNotContain(created.secret());
        BearerResult r = f.tokens.resolveBearer(created.secret());
        assertThat(r).isEqualTo(new BearerResult.Authenticated(alice, BearerResult.Kind.API_KEY, Set.of("repo:read", "repo:write")));
        assertThat(((BearerResult.Authenticated) r).allows("repo:write")).isTrue();
        assertThat(((BearerResult.Authenticated) r).allows("admin")).isFalse();
    }

    @Test
    void onlyTheDigestIsStored() {
        ApiKeyResult.Created created = create(alice, "ci", Set.of(), Duration.ofDays(1));

        assertThat(f.apiKeyStore.findByDigest(TokenDigest.of(created.secret()))).get()
                .satisfies(k -> assertThat(k.toString()).doesNotContain(created.secret().substring(4)));
        assertThat(f.apiKeys.list(alice)).singleElement()
                .satisfies(k -> assertThat(k.toString()).doesNotContain(created.secret().substring(4)));
    }

    @Test
    void listShowsTheUsersUnexpiredKeysNewestFirst() {
        ApiKeyResult.Created older = create(alice, "older", Set.of("a"), Duration.ofDays(1));
        f.clock.advance(Duration.ofMinutes(1));
        ApiKeyResult.Created newer = create(alice, "newer", Set.of("b"), Duration.ofDays(30));
        create(bob, "bob's", Set.of(), Duration.ofDays(30));

        assertThat(f.apiKeys.list(alice)).containsExactly(newer.key(), older.key());

        f.clock.advance(Duration.ofDays(1));
        assertThat(f.apiKeys.list(alice)).containsExactly(newer.key());
    }

    @Test
    void lastUsedIsRecordedAtMostOncePerMinute() {
        ApiKeyResult.Created created = create(alice, "ci", Set.of(), Duration.ofDays(1));
        assertThat(f.apiKeys.list(alice).get(0).lastUsedAt()).isEmpty();
        Instant first = f.clock.instant();

        f.tokens.resolveBearer(created.secret());
        f.clock.advance(Duration.ofSeconds(59));
        f.tokens.resolveBearer(created.secret());
        assertThat(f.apiKeys.list(alice).get(0).lastUsedAt()).contains(first);

        f.clock.advance(Duration.ofSeconds(1));
        f.tokens.resolveBearer(created.secret());
        assertThat(f.apiKeys.list(alice).get(0).lastUsedAt()).contains(first.plusSeconds(60));
    }

    @Test
    void expiredKeyIsRefused() {
        ApiKeyResult.Created created = create(alice, "ci", Set.of(), Duration.ofHours(1));

        f.clock.advance(Duration.ofHours(1));

        assertThat(f.tokens.resolveBearer(created.secret())).isEqualTo(new BearerResult.Refused(TokenRefusal.EXPIRED));
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(f.tokens.purgeExpired()).isEqualTo(1);
        assertThat(f.tokens.resolveBearer(created.secret())).isEqualTo(new BearerResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
    }

    @Test
    void revokedKeyIsRefusedAndOnlyItsOwnerCanRevokeIt() {
        ApiKeyResult.Created created = create(alice, "ci", Set.of(), Duration.ofDays(1));
        String id = created.key().id();

        assertThat(f.apiKeys.revoke(bob, id)).isFalse();
        assertThat(f.tokens.resolveBearer(created.secret())).isInstanceOf(BearerResult.Authenticated.class);

        assertThat(f.apiKeys.revoke(alice, id)).isTrue();
        assertThat(f.tokens.resolveBearer(created.secret())).isEqualTo(new BearerResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        assertThat(f.apiKeys.list(alice)).isEmpty();
        assertThat(f.apiKeys.revoke(alice, id)).isFalse();
    }

    @Test
    void invalidInputIsReportedPerField() {
        ApiKeyResult r = f.apiKeys.create(alice, " ", Set.of("ok", "no spaces"), Duration.ofMinutes(5));

        assertThat(r).isInstanceOf(ApiKeyResult.Invalid.class);
        ApiKeyResult.Invalid invalid = (ApiKeyResult.Invalid) r;
        assertThat(invalid.errors().byField()).containsOnlyKeys("name", "scopes", "lifetime");
        assertThat(f.apiKeys.create(alice, "x".repeat(101), Set.of(), Duration.ofDays(1)))
                .isInstanceOf(ApiKeyResult.Invalid.class);
        assertThat(f.apiKeys.create(alice, "ok", Set.of(), Duration.ofDays(367)))
                .isInstanceOf(ApiKeyResult.Invalid.class);
        assertThat(f.apiKeys.create(alice, "ok", IntStream.range(0, 33).mapToObj(i -> "s" + i)
                .collect(Collectors.toSet()), Duration.ofDays(1))).isInstanceOf(ApiKeyResult.Invalid.class);
        assertThat(f.apiKeys.list(alice)).isEmpty();
    }

    @Test
    void numberOfKeysPerUserIsCapped() {
        for (int i = 0; i < ApiKeys.MAX_API_KEYS_PER_USER; i++) {
            create(alice, "key " + i, Set.of(), Duration.ofDays(1));
        }

        assertThat(f.apiKeys.create(alice, "one more", Set.of(), Duration.ofDays(1)))
                .isInstanceOf(ApiKeyResult.Invalid.class);
        assertThat(f.apiKeys.create(bob, "bob's first", Set.of(), Duration.ofDays(1)))
                .isInstanceOf(ApiKeyResult.Created.class);
    }

    @Test
    void malformedOrUnknownApiKeysAreRefused() {
        assertThat(f.tokens.resolveBearer("pcl_")).isEqualTo(new BearerResult.Refused(TokenRefusal.MALFORMED));
        assertThat(f.tokens.resolveBearer("pcl_" + "A".repeat(44))).isEqualTo(new BearerResult.Refused(TokenRefusal.MALFORMED));
        assertThat(f.tokens.resolveBearer("pcl_" + "A".repeat(42) + "+")).isEqualTo(new BearerResult.Refused(TokenRefusal.MALFORMED));
        assertThat(f.tokens.resolveBearer("pcl_" + "A".repeat(43))).isEqualTo(new BearerResult.Refused(TokenRefusal.UNKNOWN_TOKEN));
        assertThat(f.tokens.resolveBearer(null)).isEqualTo(new BearerResult.Refused(TokenRefusal.MALFORMED));
    }

    @Test
    void bearerHeaderParsing() {
        assertThat(Tokens.bearerToken("Bearer abc.def.ghi")).contains("abc.def.ghi");
        assertThat(Tokens.bearerToken("bearer pcl_x")).contains("pcl_x");
        assertThat(Tokens.bearerToken("Basic dXNlcjpwYXNz")).isEmpty();
        assertThat(Tokens.bearerToken("Bearer ")).isEmpty();
        assertThat(Tokens.bearerToken("Bearer a b")).isEmpty();
        assertThat(Tokens.bearerToken("Bearerabc")).isEmpty();
        assertThat(Tokens.bearerToken(null)).isEqualTo(Optional.empty());
    }
}
