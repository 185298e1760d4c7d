package dev.portcullis.redis;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.spi.PasskeyChallenge;
import dev.portcullis.spi.PasskeyChallengeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link PasskeyChallengeStore} on Redis.
 *
 * <p>Layout: {@code <prefix>passkey-challenge:<digest>}, a hash keyed by the challenge's SHA-256
 * (the challenge itself never reaches Redis): {@code purpose}, {@code userId} and {@code pending}
 * (empty when absent), {@code expiresAt} as ISO-8601 text (exact) and {@code expiresMillis} for the
 * housekeeping script. {@link #consume} reads and deletes in one script, so of any number of racing
 * calls, on any number of nodes, exactly one gets the challenge; it decides expiry against the
 * {@code now} it is given (the core's clock), never the Redis server's.
 *
 * <p>Each key lives {@code retention} in Redis (relative, so independent of the Redis server's
 * clock), which must be at least the challenge lifetime: Redis then drops what housekeeping missed
 * and never a challenge that could still be answered. {@link #deleteExpired} may run on several
 * nodes at once: each challenge is removed by one atomic check-and-delete and counted once.
 *
 * <p>Thread-safe when the client is; faults are {@link dev.portcullis.spi.StoreException}s.
 */
public final class RedisPasskeyChallengeStore implements PasskeyChallengeStore {

    private static final String STORE = "RedisPasskeyChallengeStore";

    private static final String INSERT = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'purpose', ARGV[1], 'userId', ARGV[2], 'pending', ARGV[3], 'expiresAt', ARGV[4],
              'expiresMillis', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            return 1
            """;

    private static final String CONSUME = """
            local v = redis.call('HMGET', KEYS[1], 'purpose', 'userId', 'pending', 'expiresAt')
            if not v[1] then return false end
            redis.call('DEL', KEYS[1])
            return v
            """;

    private static final String DELETE_IF_EXPIRED = """
            local at = redis.call('HGET', KEYS[1], 'expiresMillis')
            if at and tonumber(at) <= tonumber(ARGV[1]) then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final UnifiedJedis redis;
    private final String challenges;
    private final Duration retention;

    /**
     * With a time to live of the core's challenge lifetime ({@link PasskeySettings#CHALLENGE_LIFETIME})
     * plus a minute.
     *
     * @param redis     a thread-safe client ({@code new JedisPooled(uri)}); not closed by this store
     * @param keyPrefix the application's prefix, e.g. {@code "myapp:"}
     */
    public RedisPasskeyChallengeStore(UnifiedJedis redis, String keyPrefix) {
        this(redis, keyPrefix, PasskeySettings.CHALLENGE_LIFETIME.plusMinutes(1));
    }

    /**
     * @param redis     a thread-safe client ({@code new JedisPooled(uri)}); not closed by this store
     * @param keyPrefix the application's prefix, e.g. {@code "myapp:"}
     * @param retention how long Redis keeps a challenge: at least {@link PasskeySettings#CHALLENGE_LIFETIME},
     *                  at most a day
     */
    public RedisPasskeyChallengeStore(UnifiedJedis redis, String keyPrefix, Duration retention) {
        this.redis = Objects.requireNonNull(redis, "redis");
        KeyPrefix.check(keyPrefix);
        Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(PasskeySettings.CHALLENGE_LIFETIME) < 0 || retention.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("retention must be " + PasskeySettings.CHALLENGE_LIFETIME
                    + " (the challenge lifetime) to 1 day, was " + retention);
        }
        this.challenges = keyPrefix + "passkey-challenge:";
        this.retention = retention;
    }

    @Override
    public void insert(PasskeyChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        KeyPrefix.call(STORE, "insert", () -> redis.eval(INSERT, List.of(challenges + challenge.digest().hex()), List.of(
                challenge.purpose().name(), challenge.userId().map(UserId::value).orElse(""),
                challenge.pending().map(TokenDigest::hex).orElse(""), challenge.expiresAt().toString(),
                Long.toString(challenge.expiresAt().toEpochMilli()), Long.toString(retention.toMillis()))));
    }

    @Override
    public Optional<PasskeyChallenge> consume(TokenDigest digest, Instant now) {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(now, "now");
        Object reply = KeyPrefix.call(STORE, "consume",
                () -> redis.eval(CONSUME, List.of(challenges + digest.hex()), List.of()));
        if (!(reply instanceof List<?> v) || v.size() != 4 || v.get(0) == null) {
            return Optional.empty();
        }
        String user = String.valueOf(v.get(1));
        String pending = String.valueOf(v.get(2));
        PasskeyChallenge challenge = new PasskeyChallenge(digest, PasskeyChallenge.Purpose.valueOf(String.valueOf(v.get(0))),
                user.isEmpty() ? Optional.empty() : Optional.of(new UserId(user)),
                pending.isEmpty() ? Optional.empty() : Optional.of(new TokenDigest(pending)),
                Instant.parse(String.valueOf(v.get(3))));
        // deleted either way: an expired challenge is gone, as the port says
        return now.isBefore(challenge.expiresAt()) ? Optional.of(challenge) : Optional.empty();
    }

    /** SCANs this prefix's challenges (never blocking Redis) and removes the expired ones, each atomically. */
    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return KeyPrefix.call(STORE, "deleteExpired", () -> {
            ScanParams match = new ScanParams().match(challenges + "*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            int removed = 0;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                for (String key : page.getResult()) {
                    removed += (int) KeyPrefix.asLong(redis.eval(DELETE_IF_EXPIRED, List.of(key),
                            List.of(Long.toString(now.toEpochMilli()))));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return removed;
        });
    }
}
