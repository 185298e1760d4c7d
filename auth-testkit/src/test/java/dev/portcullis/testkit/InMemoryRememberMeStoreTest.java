package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryRememberMeStore;
import dev.portcullis.spi.RememberMeStore;

class InMemoryRememberMeStoreTest extends RememberMeStoreContract {

    @Override
    protected RememberMeStore createStore() {
        return new InMemoryRememberMeStore();
    }
}
