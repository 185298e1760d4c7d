package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryIdentityStore;
import dev.portcullis.spi.IdentityStore;

class InMemoryIdentityStoreTest extends IdentityStoreContract {

    @Override
    protected IdentityStore createStore() {
        return new InMemoryIdentityStore();
    }
}
