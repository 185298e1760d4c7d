package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryOneTimeTokenStore;
import dev.portcullis.spi.OneTimeTokenStore;

class InMemoryOneTimeTokenStoreTest extends OneTimeTokenStoreContract {

    @Override
    protected OneTimeTokenStore createStore() {
        return new InMemoryOneTimeTokenStore();
    }
}
