package dev.portcullis.redis;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.PendingSignIn;
import dev.portcullis.spi.PendingSignInStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link PendingSignInStore} on Redis.
 *
 * <p>Layout: {@code <prefix>pending-sign-in:<digest>}, a hash of the record keyed by the handle's
 * SHA-256 (the handle never reaches Redis): {@code userId}, {@code stamp}, {@code purpose},
 * {@code createdAt} and {@code expiresAt} as ISO-8601 text (exact), {@code expiresMillis} for the
 * housekeeping script, and {@code attempts}. Counting is one {@code HINCRBY} inside a script that
 * first checks the key exists, so twenty racing attempts get the counts 1 to 20 and an unknown
 * handle gets nothing (and creates no key); {@link #consume} reads and deletes in one script, so of
 * any number of racing calls, on any number of nodes, exactly one gets the record.
 *
 * <p>Each key lives {@code (expiresAt − createdAt) + grace} in Redis, so Redis drops what
 * housekeeping missed; the time to live is relative, so it does not depend on the Redis server's
 * clock agreeing with the application's. The core refuses an expired handle by its own clock either
 * way. {@link #deleteExpired} may run on several nodes at once: each record is removed by one atomic
 * check-and-delete and counted once.
 *
 * <p>Thread-safe when the client is; faults are {@link dev.portcullis.spi.StoreException}s.
 */
public final class RedisPendingSignInStore implements PendingSignInStore {

    private static final String STORE = "RedisPendingSignInStore";

    /** KEYS[1]: the record. ARGV: fields…, ttl ms. */
    private static final String INSERT = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'stamp', ARGV[2], 'purpose', ARGV[3], 'createdAt', ARGV[4],
              'expiresAt', ARGV[5], 'expiresMillis', ARGV[6], 'attempts', ARGV[7])
            redis.call('PEXPIRE', KEYS[1], ARGV[8])
            return 1
            """;

    private static final String RECORD_ATTEMPT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
            return redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            """;

    private static final String CONSUME = """
            local v = redis.call('HMGET', KEYS[1], 'userId', 'stamp', 'purpose', 'createdAt', 'expiresAt', 'attempts')
            if not v[1] then return false end
            redis.call('DEL', KEYS[1])
            return v
            """;

    private static final String DELETE_IF_EXPIRED = """
            local at = redis.call('HGET', KEYS[1], 'expiresMillis')
            if at and tonumber(at) < tonumber(ARGV[1]) then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private static final String[] FIELDS = {"userId", "stamp", "purpose", "createdAt", "expiresAt", "attempts"};

    private final UnifiedJedis redis;
    private final String records;
    private final Duration grace;

    /**
     * @param redis     a thread-safe client ({@code new JedisPooled(uri)}); not closed by this store
     * @param keyPrefix the application's prefix, e.g. {@code "myapp:"}
     * @param grace     how long Redis keeps a record past its lifetime (room for clock drift between
     *                  nodes; the core refuses it after {@code expiresAt} anyway); 0 to 1 day
     */
    public RedisPendingSignInStore(UnifiedJedis redis, String keyPrefix, Duration grace) {
        this.redis = Objects.requireNonNull(redis, "redis");
        KeyPrefix.check(keyPrefix);
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("grace must be 0 to 1 day, was " + grace);
        }
        this.records = keyPrefix + "pending-sign-in:";
        this.grace = grace;
    }

    @Override
    public void insert(PendingSignIn pending) {
        Objects.requireNonNull(pending, "pending");
        long ttl = Math.max(1_000, Duration.between(pending.createdAt(), pending.expiresAt()).plus(grace).toMillis());
        KeyPrefix.call(STORE, "insert", () -> redis.eval(INSERT, List.of(records + pending.id().hex()), List.of(
                pending.userId().value(), pending.stamp(), pending.purpose().name(), pending.createdAt().toString(),
                pending.expiresAt().toString(), Long.toString(pending.expiresAt().toEpochMilli()),
                Integer.toString(pending.attempts()), Long.toString(ttl))));
    }

    @Override
    public Optional<PendingSignIn> find(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        List<String> v = KeyPrefix.call(STORE, "find", () -> redis.hmget(records + id.hex(), FIELDS));
        return record(id, v);
    }

    @Override
    public OptionalInt recordAttempt(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        long count = KeyPrefix.asLong(KeyPrefix.call(STORE, "recordAttempt",
                () -> redis.eval(RECORD_ATTEMPT, List.of(records + id.hex()), List.of())));
        return count < 0 ? OptionalInt.empty() : OptionalInt.of((int) count);
    }

    @Override
    public Optional<PendingSignIn> consume(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        Object reply = KeyPrefix.call(STORE, "consume", () -> redis.eval(CONSUME, List.of(records + id.hex()), List.of()));
        if (!(reply instanceof List<?> values)) {
            return Optional.empty();
        }
        List<String> v = new ArrayList<>();
        for (Object o : values) {
            v.add(o == null ? null : o.toString());
        }
        return record(id, v);
    }

    /** SCANs this prefix's records (never blocking Redis) and removes the expired ones, each atomically. */
    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return KeyPrefix.call(STORE, "deleteExpired", () -> {
            ScanParams match = new ScanParams().match(records + "*").count(500);
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

    /** The record from the values of {@link #FIELDS}; empty when the key is gone (every field null). */
    private static Optional<PendingSignIn> record(TokenDigest id, List<String> v) {
        if (v.size() != FIELDS.length || v.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(new PendingSignIn(id, new UserId(v.get(0)), v.get(1), PendingSignIn.Purpose.valueOf(v.get(2)),
                Instant.parse(v.get(3)), Instant.parse(v.get(4)), Integer.parseInt(v.get(5))));
    }
}
