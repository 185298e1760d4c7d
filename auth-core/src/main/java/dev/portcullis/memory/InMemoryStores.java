package dev.portcullis.memory;

import dev.portcullis.Stores;

import java.util.Optional;

/** A full set of in-memory stores: one node, everything lost on restart; for tests and demos. */
public final class InMemoryStores {

    private InMemoryStores() {
    }

    /** Every port (but the second-factor stores: {@code Stores.withSecondFactors}), each a fresh thread-safe in-memory store. */
    public static Stores create() {
        return new Stores(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore(),
                Optional.of(new InMemoryRememberMeStore()), Optional.of(new InMemoryOneTimeTokenStore()),
                Optional.of(new InMemoryRefreshTokenStore()), Optional.of(new InMemoryApiKeyStore()),
                Optional.of(new InMemoryTokenEpochStore()), Optional.empty(), Optional.empty(),
                Optional.of(new InMemoryIdentityStore()));
    }
}
