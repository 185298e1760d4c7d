package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryRefreshTokenStore;
import dev.portcullis.spi.RefreshTokenStore;

class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {

    @Override
    protected RefreshTokenStore createStore() {
        return new InMemoryRefreshTokenStore();
    }
}
