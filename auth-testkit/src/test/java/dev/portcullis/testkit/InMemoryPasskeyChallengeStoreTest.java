package dev.portcullis.testkit;

import dev.portcullis.memory.InMemoryPasskeyChallengeStore;
import dev.portcullis.spi.PasskeyChallengeStore;

class InMemoryPasskeyChallengeStoreTest extends PasskeyChallengeStoreContract {
    @Override
    protected PasskeyChallengeStore createStore() {
        return new InMemoryPasskeyChallengeStore();
    }
}
