package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryTokenEpochStore;
import dev.portcullis.spi.TokenEpochStore;

class InMemoryTokenEpochStoreTest extends TokenEpochStoreContract {

    @Override
    protected TokenEpochStore createStore() {
        return new InMemoryTokenEpochStore();
    }
}
