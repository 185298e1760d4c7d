package dev.portcullis.memory;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.PasskeyChallenge;
import dev.portcullis.spi.PasskeyChallengeStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Outstanding WebAuthn challenges in a map. Thread-safe: {@link #consume} is one atomic remove. */
public final class InMemoryPasskeyChallengeStore implements PasskeyChallengeStore {

    private final ConcurrentMap<TokenDigest, PasskeyChallenge> challenges = new ConcurrentHashMap<>();

    @Override
    public void insert(PasskeyChallenge challenge) {
        challenges.put(challenge.digest(), challenge);
    }

    @Override
    public Optional<PasskeyChallenge> consume(TokenDigest digest, Instant now) {
        return Optional.ofNullable(challenges.remove(digest)).filter(c -> now.isBefore(c.expiresAt()));
    }

    @Override
    public int deleteExpired(Instant now) {
        int before = challenges.size();
        challenges.values().removeIf(c -> !now.isBefore(c.expiresAt()));
        return Math.max(0, before - challenges.size());
    }
}
