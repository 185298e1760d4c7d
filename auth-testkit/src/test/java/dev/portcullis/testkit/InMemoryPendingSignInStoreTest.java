package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.spi.PendingSignInStore;

class InMemoryPendingSignInStoreTest extends PendingSignInStoreContract {

    @Override
    protected PendingSignInStore createStore() {
        return new InMemoryPendingSignInStore();
    }
}
