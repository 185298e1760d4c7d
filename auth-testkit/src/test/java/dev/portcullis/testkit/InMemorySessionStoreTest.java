package dev.portcullis.testkit;

import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.spi.SessionStore;

class InMemorySessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore createStore() {
        return new InMemorySessionStore();
    }
}
