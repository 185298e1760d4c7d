package dev.portcullis.testkit;

import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.spi.SecondFactorStore;

class InMemorySecondFactorStoreTest extends SecondFactorStoreContract {

    @Override
    protected SecondFactorStore createStore() {
        return new InMemorySecondFactorStore();
    }
}
