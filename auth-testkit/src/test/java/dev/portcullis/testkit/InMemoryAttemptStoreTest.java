package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.spi.AttemptStore;

class InMemoryAttemptStoreTest extends AttemptStoreContract {

    @Override
    protected AttemptStore createStore() {
        return new InMemoryAttemptStore();
    }
}
