package dev.portcullis.examples.customstore;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.SessionRecord;
import dev.portcullis.spi.SessionStore;
import dev.portcullis.spi.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link SessionStore} on Redis, written against the port alone and proved by
 * {@code auth-testkit}'s {@code SessionStoreContract}.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code <prefix>session:<digest>} — a hash ({@code userId}, {@code createdAt},
 *       {@code lastSeenAt} in epoch milliseconds, {@code clientAddress}, and when set
 *       {@code passwordAt}, {@code secondFactorAt}: the proofs step-up checks). The key is the token's
 *       SHA-256 digest, as the core hands it over; the token itself never reaches Redis.</li>
 *   <li>{@code <prefix>user-sessions:<userId>} — a sorted set of the user's digests scored by
 *       {@code createdAt}: the per-user index for listing and "log out everywhere".</li>
 * </ul>
 * Both keys get a time to live of {@code retention} on every insert and forward touch, so Redis
 * itself evicts sessions nobody used for that long (set it to the session policy's idle timeout,
 * or longer); {@link #deleteExpired} remains for exact housekeeping.
 *
 * <h2>Concurrency</h2>
 * Every change that spans both keys runs as one Lua script, which Redis executes atomically: a
 * {@code touch} racing a {@code delete} cannot bring the session back, a revocation racing a touch
 * removes it, and {@code touch} never moves {@code lastSeenAt} backwards. The scripts derive the
 * index key from the session, so all keys must live on one Redis (a standalone server or a
 * Sentinel-managed primary, not Redis Cluster).
 *
 * <p>Thread-safe when {@code redis} is (use {@code JedisPooled}). Every Redis failure surfaces as a
 * {@link StoreException} naming the operation and the cause; the pool reconnects by itself when
 * Redis is back. Set connection and socket timeouts on the client so that an unreachable Redis
 * fails calls quickly.
 */
public final class RedisSessionStore implements SessionStore {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]{1,100}");

    private static final String INSERT = """
            redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'createdAt', ARGV[2], 'lastSeenAt', ARGV[3], 'clientAddress', ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[6])
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            return 1
            """;

    /** Sets the proofs given (ARGV[1], ARGV[2]; empty for "leave as is") of a session that exists. */
    private static final String RECORD_PROOFS = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'passwordAt', ARGV[1]) end
            if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'secondFactorAt', ARGV[2]) end
            return 1
            """;

    private static final String TOUCH = """
            local seen = redis.call('HGET', KEYS[1], 'lastSeenAt')
            if not seen or tonumber(seen) >= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PEXPIRE', ARGV[3] .. redis.call('HGET', KEYS[1], 'userId'), ARGV[2])
            return 1
            """;

    private static final String DELETE = """
            local user = redis.call('HGET', KEYS[1], 'userId')
            if not user then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', ARGV[1] .. user, ARGV[2])
            return 1
            """;

    /** Deletes every session in the index except ARGV[2]; counts only sessions that still existed. */
    private static final String DELETE_ALL_FOR_USER = """
            local removed = 0
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              if id ~= ARGV[2] then
                removed = removed + redis.call('DEL', ARGV[1] .. id)
                redis.call('ZREM', KEYS[1], id)
              end
            end
            return removed
            """;

    private static final String DELETE_IF_EXPIRED = """
            local v = redis.call('HMGET', KEYS[1], 'userId', 'createdAt', 'lastSeenAt')
            if not v[1] then return 0 end
            if tonumber(v[3]) < tonumber(ARGV[1]) or tonumber(v[2]) < tonumber(ARGV[2]) then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', ARGV[3] .. v[1], ARGV[4])
              return 1
            end
            return 0
            """;

    private final UnifiedJedis redis;
    private final String sessionPrefix;
    private final String indexPrefix;
    private final String retentionMillis;

    /**
     * @param redis     a thread-safe client, such as {@code new JedisPooled(uri)}; not closed by this store
     * @param keyPrefix prepended to every key, e.g. {@code "myapp:"}: 1 to 100 letters, digits or {@code :_.-}
     * @param retention how long Redis keeps a session after its last insert or touch; at least one second
     * @throws IllegalArgumentException if {@code keyPrefix} or {@code retention} is out of range
     */
    public RedisSessionStore(UnifiedJedis redis, String keyPrefix, Duration retention) {
        this.redis = Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(retention, "retention");
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix must be 1 to 100 letters, digits or ':_.-', e.g. \"myapp:\"");
        }
        if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retention must be at least one second; use the session idle timeout");
        }
        this.sessionPrefix = keyPrefix + "session:";
        this.indexPrefix = keyPrefix + "user-sessions:";
        this.retentionMillis = Long.toString(retention.toMillis());
    }

    @Override
    public void insert(SessionRecord session) {
        Objects.requireNonNull(session, "session");
        call("insert", () -> redis.eval(INSERT,
                List.of(sessionKey(session.id()), indexKey(session.userId())),
                List.of(session.userId().value(), millis(session.createdAt()), millis(session.lastSeenAt()),
                        session.clientAddress(), retentionMillis, session.id().hex())));
        if (session.passwordAt() != null || session.secondFactorAt() != null) {
            recordProofs(session.id(), session.passwordAt(), session.secondFactorAt());
        }
    }

    @Override
    public Optional<SessionRecord> find(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return call("find", () -> toRecord(id, redis.hgetAll(sessionKey(id))));
    }

    @Override
    public void recordProofs(TokenDigest id, Instant passwordAt, Instant secondFactorAt) {
        Objects.requireNonNull(id, "id");
        call("recordProofs", () -> redis.eval(RECORD_PROOFS, List.of(sessionKey(id)),
                List.of(passwordAt == null ? "" : millis(passwordAt), secondFactorAt == null ? "" : millis(secondFactorAt))));
    }

    @Override
    public void touch(TokenDigest id, Instant lastSeenAt) {
        Objects.requireNonNull(id, "id");
        call("touch", () -> redis.eval(TOUCH, List.of(sessionKey(id)),
                List.of(millis(lastSeenAt), retentionMillis, indexPrefix)));
    }

    @Override
    public boolean delete(TokenDigest id) {
        Objects.requireNonNull(id, "id");
        return call("delete", () -> asLong(redis.eval(DELETE, List.of(sessionKey(id)), List.of(indexPrefix, id.hex())))) > 0;
    }

    @Override
    public int deleteAllForUser(UserId userId) {
        return deleteAll("deleteAllForUser", userId, "");
    }

    @Override
    public int deleteAllForUserExcept(UserId userId, TokenDigest keep) {
        return deleteAll("deleteAllForUserExcept", userId, Objects.requireNonNull(keep, "keep").hex());
    }

    @Override
    public List<SessionRecord> findAllForUser(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return call("findAllForUser", () -> {
            List<SessionRecord> sessions = new ArrayList<>();
            String index = indexKey(userId);
            for (String hex : redis.zrevrange(index, 0, -1)) {
                TokenDigest id = new TokenDigest(hex);
                Optional<SessionRecord> session = toRecord(id, redis.hgetAll(sessionKey(id)));
                if (session.isPresent()) {
                    sessions.add(session.get());
                } else {
                    redis.zrem(index, hex); // Redis evicted the session; drop its index entry too.
                }
            }
            sessions.sort(Comparator.comparing(SessionRecord::createdAt).reversed());
            return List.copyOf(sessions);
        });
    }

    /** Scans every session key of this prefix (SCAN, so Redis is never blocked) and removes the expired ones atomically. */
    @Override
    public int deleteExpired(Instant idleCutoff, Instant absoluteCutoff) {
        return call("deleteExpired", () -> {
            ScanParams match = new ScanParams().match(sessionPrefix + "*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            int removed = 0;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                for (String key : page.getResult()) {
                    removed += asLong(redis.eval(DELETE_IF_EXPIRED, List.of(key), List.of(millis(idleCutoff),
                            millis(absoluteCutoff), indexPrefix, key.substring(sessionPrefix.length()))));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return removed;
        });
    }

    private int deleteAll(String operation, UserId userId, String keepHex) {
        Objects.requireNonNull(userId, "userId");
        return call(operation, () -> (int) asLong(redis.eval(DELETE_ALL_FOR_USER, List.of(indexKey(userId)),
                List.of(sessionPrefix, keepHex))));
    }

    private Optional<SessionRecord> toRecord(TokenDigest id, Map<String, String> hash) {
        if (hash.isEmpty() || hash.get("userId") == null) {
            return Optional.empty();
        }
        return Optional.of(new SessionRecord(id, new UserId(hash.get("userId")),
                Instant.ofEpochMilli(Long.parseLong(hash.get("createdAt"))),
                Instant.ofEpochMilli(Long.parseLong(hash.get("lastSeenAt"))),
                hash.getOrDefault("clientAddress", ""), instantOrNull(hash.get("passwordAt")),
                instantOrNull(hash.get("secondFactorAt"))));
    }

    private static Instant instantOrNull(String millis) {
        return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private String sessionKey(TokenDigest id) {
        return sessionPrefix + id.hex();
    }

    private String indexKey(UserId userId) {
        return indexPrefix + userId.value();
    }

    private static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    private static long asLong(Object reply) {
        return reply instanceof Long n ? n : 0L;
    }

    private static <T> T call(String operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (JedisException e) {
            throw new StoreException("RedisSessionStore." + operation + " failed: " + e.getMessage()
                    + (e.getCause() != null ? "; cause: " + e.getCause() : ""), e);
        }
    }
}
