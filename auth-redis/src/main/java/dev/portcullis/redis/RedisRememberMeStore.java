package dev.portcullis.redis;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.RememberMeRecord;
import dev.portcullis.spi.RememberMeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link RememberMeStore} on Redis.
 *
 * <p>Layout: {@code <prefix>remember-me:<selector>}, a hash of the record (the validator's SHA-256,
 * never the validator; instants as ISO-8601 text, exact, plus the expiry in epoch milliseconds for
 * the scripts); {@code <prefix>remember-me-series:<series>} and {@code <prefix>remember-me-user:<id>},
 * sets of selectors, the indexes of {@link #deleteSeries} and {@link #deleteAllForUser}. Every change
 * that spans keys is one Lua script (atomic): of racing {@link #markReplaced} calls exactly one wins,
 * and a delete leaves no index entry behind. Each token's key lives {@code (expiresAt − createdAt)}
 * plus {@code grace} in Redis, so Redis drops what housekeeping missed (the time to live is relative,
 * so it does not depend on the Redis server's clock agreeing with the application's).
 * {@link #deleteExpired} may run on several nodes at once: each token is removed by one atomic
 * check-and-delete and counted once.
 *
 * <p>Thread-safe when the client is; faults are {@link dev.portcullis.spi.StoreException}s.
 */
public final class RedisRememberMeStore implements RememberMeStore {

    private static final String STORE = "RedisRememberMeStore";

    /** KEYS: token, series index, user index. ARGV: fields…, ttl ms, selector. */
    private static final String INSERT = """
            redis.call('HSET', KEYS[1], 'validatorHash', ARGV[1], 'userId', ARGV[2], 'seriesId', ARGV[3],
              'createdAt', ARGV[4], 'expiresAt', ARGV[5], 'expiresMillis', ARGV[6])
            if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'replacedAt', ARGV[7]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[8])
            redis.call('SADD', KEYS[2], ARGV[9])
            redis.call('SADD', KEYS[3], ARGV[9])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[8]) then redis.call('PEXPIRE', KEYS[2], ARGV[8]) end
            if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[8]) then redis.call('PEXPIRE', KEYS[3], ARGV[8]) end
            return 1
            """;

    private static final String MARK_REPLACED = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if redis.call('HEXISTS', KEYS[1], 'replacedAt') == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'replacedAt', ARGV[1])
            return 1
            """;

    /** KEYS[1]: an index set. ARGV: token prefix, series prefix, user prefix. */
    private static final String DELETE_INDEXED = """
            local removed = 0
            for _, selector in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local key = ARGV[1] .. selector
              local v = redis.call('HMGET', key, 'seriesId', 'userId')
              if v[1] then
                removed = removed + redis.call('DEL', key)
                redis.call('SREM', ARGV[2] .. v[1], selector)
                redis.call('SREM', ARGV[3] .. v[2], selector)
              end
            end
            redis.call('DEL', KEYS[1])
            return removed
            """;

    private static final String DELETE_IF_EXPIRED = """
            local v = redis.call('HMGET', KEYS[1], 'expiresMillis', 'seriesId', 'userId')
            if v[1] and tonumber(v[1]) < tonumber(ARGV[1]) then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', ARGV[2] .. v[2], ARGV[4])
              redis.call('SREM', ARGV[3] .. v[3], ARGV[4])
              return 1
            end
            return 0
            """;

    private final UnifiedJedis redis;
    private final String tokens;
    private final String series;
    private final String users;
    private final Duration grace;

    /**
     * @param redis     a thread-safe client ({@code new JedisPooled(uri)}); not closed by this store
     * @param keyPrefix the application's prefix, e.g. {@code "myapp:"}
     * @param grace     how long Redis keeps a token past its lifetime (replaced tokens are kept until
     *                  they expire, for theft detection); 0 to 30 days
     */
    public RedisRememberMeStore(UnifiedJedis redis, String keyPrefix, Duration grace) {
        this.redis = Objects.requireNonNull(redis, "redis");
        KeyPrefix.check(keyPrefix);
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("grace must be 0 to 30 days, was " + grace);
        }
        this.tokens = keyPrefix + "remember-me:";
        this.series = keyPrefix + "remember-me-series:";
        this.users = keyPrefix + "remember-me-user:";
        this.grace = grace;
    }

    @Override
    public void insert(RememberMeRecord token) {
        Objects.requireNonNull(token, "token");
        long ttl = Math.max(1_000, Duration.between(token.createdAt(), token.expiresAt()).plus(grace).toMillis());
        KeyPrefix.call(STORE, "insert", () -> redis.eval(INSERT,
                List.of(tokens + token.selector(), series + token.seriesId(), users + token.userId().value()),
                List.of(token.validatorHash().hex(), token.userId().value(), token.seriesId(),
                        token.createdAt().toString(), token.expiresAt().toString(),
                        Long.toString(token.expiresAt().toEpochMilli()),
                        token.replaced().map(Instant::toString).orElse(""), Long.toString(ttl), token.selector())));
    }

    @Override
    public Optional<RememberMeRecord> find(String selector) {
        Objects.requireNonNull(selector, "selector");
        Map<String, String> h = KeyPrefix.call(STORE, "find", () -> redis.hgetAll(tokens + selector));
        if (h.isEmpty() || h.get("userId") == null) {
            return Optional.empty();
        }
        String replaced = h.get("replacedAt");
        return Optional.of(new RememberMeRecord(selector, new TokenDigest(h.get("validatorHash")),
                new UserId(h.get("userId")), h.get("seriesId"), Instant.parse(h.get("createdAt")),
                Instant.parse(h.get("expiresAt")), replaced == null ? null : Instant.parse(replaced)));
    }

    @Override
    public boolean markReplaced(String selector, Instant at) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(at, "at");
        return KeyPrefix.asLong(KeyPrefix.call(STORE, "markReplaced",
                () -> redis.eval(MARK_REPLACED, List.of(tokens + selector), List.of(at.toString())))) == 1;
    }

    @Override
    public int deleteSeries(String seriesId) {
        Objects.requireNonNull(seriesId, "seriesId");
        return deleteIndexed("deleteSeries", series + seriesId);
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return deleteIndexed("deleteAllForUser", users + userId.value());
    }

    /** SCANs this prefix's tokens (never blocking Redis) and removes the expired ones, each atomically. */
    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return KeyPrefix.call(STORE, "deleteExpired", () -> {
            ScanParams match = new ScanParams().match(tokens + "*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            int removed = 0;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                for (String key : page.getResult()) {
                    removed += (int) KeyPrefix.asLong(redis.eval(DELETE_IF_EXPIRED, List.of(key), List.of(
                            Long.toString(now.toEpochMilli()), series, users, key.substring(tokens.length()))));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return removed;
        });
    }

    private int deleteIndexed(String operation, String indexKey) {
        return (int) KeyPrefix.asLong(KeyPrefix.call(STORE, operation,
                () -> redis.eval(DELETE_INDEXED, List.of(indexKey), List.of(tokens, series, users))));
    }
}
