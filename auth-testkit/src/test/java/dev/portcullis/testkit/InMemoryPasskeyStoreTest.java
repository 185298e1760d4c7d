package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryPasskeyStore;
import dev.portcullis.spi.PasskeyStore;

class InMemoryPasskeyStoreTest extends PasskeyStoreContract {
    @Override
    protected PasskeyStore createStore() {
        return new InMemoryPasskeyStore();
    }
}
