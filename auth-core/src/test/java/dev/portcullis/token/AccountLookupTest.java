package dev.portcullis.token;

import dev.portcullis.model.CurrentUser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.UserId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Tokens#account}: bearer callers resolved through the per-node lookup cache. */
class AccountLookupTest {

    final TokenFixture f = new TokenFixture();

    @Test
    void resolvesEnabledAccountsAndADisableThroughTheLibraryTakesEffectAtOnce() {
        UserId alice = f.register("alice@example.com").userId();
        assertThat(f.tokens.account(alice)).map(CurrentUser::id).contains(alice);
        assertThat(f.tokens.account(alice).orElseThrow().sessionId()).as("no session behind a bearer").isNull();
        f.auth.accounts().disable(alice, TokenFixture.ADDRESS);
        assertThat(f.tokens.account(alice)).isEmpty();
        assertThat(f.tokens.account(new UserId("nobody"))).isEmpty();
    }

    @Test
    void aChangeMadeElsewhereIsSeenWithinTheLookupCacheTtl() {
        UserId alice = f.register("alice@example.com").userId();
        assertThat(f.tokens.account(alice)).isPresent();
        f.users.setDisabled(alice, true); // another node, or a direct write to the store
        assertThat(f.tokens.account(alice)).as("still cached").isPresent();
        f.clock.advance(f.auth.sessions().policy().lookupCacheTtl());
        assertThat(f.tokens.account(alice)).isEmpty();
        assertThat(Duration.ZERO).isLessThan(f.auth.sessions().policy().lookupCacheTtl());
    }
}
