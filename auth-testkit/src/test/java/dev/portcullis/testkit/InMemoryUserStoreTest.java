package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.spi.UserStore;

class InMemoryUserStoreTest extends UserStoreContract {

    @Override
    protected UserStore createStore() {
        return new InMemoryUserStore();
    }
}
