package dev.portcullis.redis;

import dev.portcullis.spi.AttemptStore;
import dev.portcullis.spi.Attempts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * An {@link AttemptStore} on Redis: the throttle's counters, shared by every node.
 *
 * <p>Layout: {@code <prefix>attempts:<key>}, a hash of {@code failures}, {@code windowStart} and
 * {@code lastFailureAt} (epoch milliseconds). The key is the core's digest, never an address.
 *
 * <p>Each change is one Lua script, which Redis runs atomically: {@link #recordFailure} reads the
 * entry, starts a new window or counts up, stamps the last failure and sets the time to live in
 * one step, so n concurrent guesses on any number of nodes raise the count by exactly n and the
 * core's reserve-before-verify holds across the cluster; {@link #recordFailures} does the same for
 * the account's and the address's counter in one script. {@link #release} counts down and deletes
 * the entry at zero, in one step too; {@link #clearAndRelease} releases and clears in one script. Every write gives the key a time to live of
 * {@code retention} (use the throttle policy's longest window, {@code ThrottlePolicy.longestWindow()}),
 * so Redis evicts counters nobody touched for that long by itself; {@link #deleteOlderThan} remains
 * for exact housekeeping and may run on several nodes at once (each entry is deleted by one atomic
 * check-and-delete, so it is counted once and nothing younger is lost).
 *
 * <p>Thread-safe when the client is ({@code JedisPooled}); faults are {@link dev.portcullis.spi.StoreException}s.
 */
public final class RedisAttemptStore implements AttemptStore {

    private static final String STORE = "RedisAttemptStore";

    private static final String RECORD_FAILURE = """
            local v = redis.call('HMGET', KEYS[1], 'failures', 'windowStart')
            local failures, windowStart
            if not v[1] or tonumber(v[2]) < tonumber(ARGV[2]) then
              failures = 1
              windowStart = ARGV[1]
            else
              failures = tonumber(v[1]) + 1
              windowStart = v[2]
            end
            redis.call('HSET', KEYS[1], 'failures', failures, 'windowStart', windowStart, 'lastFailureAt', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {failures, windowStart, ARGV[1]}
            """;

    /** {@link #RECORD_FAILURE} on every key. KEYS: the counters. ARGV: now, ttl, then each key's resetBefore. */
    private static final String RECORD_FAILURES = """
            local out = {}
            for i, key in ipairs(KEYS) do
              local v = redis.call('HMGET', key, 'failures', 'windowStart')
              local failures, windowStart
              if not v[1] or tonumber(v[2]) < tonumber(ARGV[2 + i]) then
                failures = 1
                windowStart = ARGV[1]
              else
                failures = tonumber(v[1]) + 1
                windowStart = v[2]
              end
              redis.call('HSET', key, 'failures', failures, 'windowStart', windowStart, 'lastFailureAt', ARGV[1])
              redis.call('PEXPIRE', key, ARGV[2])
              out[i] = {failures, windowStart, ARGV[1]}
            end
            return out
            """;

    /** KEYS[1]: the counter to clear; KEYS[2..]: those to release ({@link #RELEASE} each). */
    private static final String CLEAR_AND_RELEASE = """
            for i = 2, #KEYS do
              local failures = redis.call('HGET', KEYS[i], 'failures')
              if failures then
                if tonumber(failures) <= 1 then
                  redis.call('DEL', KEYS[i])
                else
                  redis.call('HINCRBY', KEYS[i], 'failures', -1)
                end
              end
            end
            redis.call('DEL', KEYS[1])
            return 1
            """;

    private static final String FIND_ALL = """
            local out = {}
            for i, key in ipairs(KEYS) do
              out[i] = redis.call('HMGET', key, 'failures', 'windowStart', 'lastFailureAt')
            end
            return out
            """;

    private static final String RELEASE = """
            local failures = redis.call('HGET', KEYS[1], 'failures')
            if not failures then return 0 end
            if tonumber(failures) <= 1 then
              redis.call('DEL', KEYS[1])
            else
              redis.call('HINCRBY', KEYS[1], 'failures', -1)
            end
            return 1
            """;

    private static final String DELETE_IF_OLDER = """
            local last = redis.call('HGET', KEYS[1], 'lastFailureAt')
            if last and tonumber(last) < tonumber(ARGV[1]) then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final UnifiedJedis redis;
    private final String prefix;
    private final String retentionMillis;

    /**
     * @param redis     a thread-safe client ({@code new JedisPooled(uri)}); not closed by this store
     * @param keyPrefix the application's prefix, e.g. {@code "myapp:"}
     * @param retention the time to live of a counter after its last write; at least one minute
     */
    public RedisAttemptStore(UnifiedJedis redis, String keyPrefix, Duration retention) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = KeyPrefix.check(keyPrefix) + "attempts:";
        Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("retention must be at least one minute; use ThrottlePolicy.longestWindow()");
        }
        this.retentionMillis = Long.toString(retention.toMillis());
    }

    @Override
    public Attempts recordFailure(String key, Instant now, Instant resetBefore) {
        Objects.requireNonNull(key, "key");
        Object reply = KeyPrefix.call(STORE, "recordFailure", () -> redis.eval(RECORD_FAILURE, List.of(prefix + key),
                List.of(millis(now), millis(resetBefore), retentionMillis)));
        List<?> v = (List<?>) reply;
        return new Attempts((int) number(v.get(0)), Instant.ofEpochMilli(number(v.get(1))),
                Instant.ofEpochMilli(number(v.get(2))));
    }

    /** Every key in one script, so one round trip counts the account's and the address's reservation. */
    @Override
    public Map<String, Attempts> recordFailures(Map<String, Instant> resetBefore, Instant now) {
        Objects.requireNonNull(resetBefore, "resetBefore");
        Objects.requireNonNull(now, "now");
        if (resetBefore.isEmpty()) {
            return Map.of();
        }
        List<String> keys = new ArrayList<>(resetBefore.keySet());
        List<String> args = new ArrayList<>(List.of(millis(now), retentionMillis));
        keys.forEach(k -> args.add(millis(Objects.requireNonNull(resetBefore.get(Objects.requireNonNull(k, "key")),
                "resetBefore"))));
        List<?> rows = (List<?>) KeyPrefix.call(STORE, "recordFailures", () -> redis.eval(RECORD_FAILURES,
                keys.stream().map(k -> prefix + k).toList(), args));
        Map<String, Attempts> counted = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            List<?> v = (List<?>) rows.get(i);
            counted.put(keys.get(i), new Attempts((int) number(v.get(0)), Instant.ofEpochMilli(number(v.get(1))),
                    Instant.ofEpochMilli(number(v.get(2)))));
        }
        return Map.copyOf(counted);
    }

    /** One script: the releases, then the clear. */
    @Override
    public void clearAndRelease(String clearKey, Collection<String> releaseKeys) {
        Objects.requireNonNull(clearKey, "clearKey");
        Objects.requireNonNull(releaseKeys, "releaseKeys");
        List<String> keys = new ArrayList<>();
        keys.add(prefix + clearKey);
        releaseKeys.forEach(k -> keys.add(prefix + Objects.requireNonNull(k, "key")));
        KeyPrefix.call(STORE, "clearAndRelease", () -> redis.eval(CLEAR_AND_RELEASE, keys, List.of()));
    }

    @Override
    public Optional<Attempts> find(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(findAll(List.of(key)).get(key));
    }

    @Override
    public Map<String, Attempts> findAll(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        if (distinct.isEmpty()) {
            return Map.of();
        }
        List<String> redisKeys = distinct.stream().map(k -> prefix + k).toList();
        List<?> rows = (List<?>) KeyPrefix.call(STORE, "findAll", () -> redis.eval(FIND_ALL, redisKeys, List.of()));
        Map<String, Attempts> found = new HashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            List<?> row = (List<?>) rows.get(i);
            if (row.get(0) != null) {
                found.put(distinct.get(i), new Attempts((int) number(row.get(0)), Instant.ofEpochMilli(number(row.get(1))),
                        Instant.ofEpochMilli(number(row.get(2)))));
            }
        }
        return Map.copyOf(found);
    }

    @Override
    public void release(String key) {
        Objects.requireNonNull(key, "key");
        KeyPrefix.call(STORE, "release", () -> redis.eval(RELEASE, List.of(prefix + key), List.of()));
    }

    @Override
    public void clear(String key) {
        Objects.requireNonNull(key, "key");
        KeyPrefix.call(STORE, "clear", () -> redis.del(prefix + key));
    }

    /** SCANs this prefix's counters (never blocking Redis) and removes the stale ones, each atomically. */
    @Override
    public int deleteOlderThan(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return KeyPrefix.call(STORE, "deleteOlderThan", () -> {
            ScanParams match = new ScanParams().match(prefix + "*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            int removed = 0;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                for (String key : page.getResult()) {
                    removed += (int) KeyPrefix.asLong(redis.eval(DELETE_IF_OLDER, List.of(key), List.of(millis(cutoff))));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return removed;
        });
    }

    private static long number(Object value) {
        if (value instanceof Long n) {
            return n;
        }
        return Long.parseLong(value.toString());
    }

    private static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }
}
