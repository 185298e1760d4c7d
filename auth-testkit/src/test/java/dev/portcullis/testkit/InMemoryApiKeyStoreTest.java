package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryApiKeyStore;
import dev.portcullis.spi.ApiKeyStore;

class InMemoryApiKeyStoreTest extends ApiKeyStoreContract {

    @Override
    protected ApiKeyStore createStore() {
        return new InMemoryApiKeyStore();
    }
}
