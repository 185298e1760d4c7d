package dev.portcullis.examples.customstore;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.StoreException;
import dev.portcullis.spi.TokenEpochStore;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link TokenEpochStore} on Redis, written against the port alone and proved by
 * {@code auth-testkit}'s {@code TokenEpochStoreContract}: the walk-through of writing your own store.
 * (The production Redis stores — sessions, throttle counters, remember-me — are in {@code auth-redis}.)
 *
 * <p>Layout: {@code <prefix>token-epoch:<userId>}, an integer. The port asks for two things: the
 * current epoch (0 when there is none) and an atomic advance that counts every concurrent call.
 * Redis's {@code INCR} is exactly that: one command, atomic on the server, creating the key at 1.
 * No time to live: an epoch must never fall back to 0, or tokens revoked by it would live again.
 *
 * <p>Thread-safe when {@code redis} is ({@code JedisPooled}). Every Redis failure surfaces as a
 * {@link StoreException}, the only exception a port may throw.
 */
public final class RedisTokenEpochStore implements TokenEpochStore {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]{1,100}");

    private final UnifiedJedis redis;
    private final String prefix;

    /**
     * @param redis     a thread-safe client, such as {@code new JedisPooled(uri)}; not closed by this store
     * @param keyPrefix prepended to every key, e.g. {@code "myapp:"}: 1 to 100 letters, digits or {@code :_.-}
     */
    public RedisTokenEpochStore(UnifiedJedis redis, String keyPrefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix must be 1 to 100 letters, digits or ':_.-', e.g. \"myapp:\"");
        }
        this.prefix = keyPrefix + "token-epoch:";
    }

    @Override
    public int current(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        String value = call("current", () -> redis.get(prefix + userId.value()));
        return value == null ? 0 : Integer.parseInt(value);
    }

    @Override
    public int advance(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return Math.toIntExact(call("advance", () -> redis.incr(prefix + userId.value())));
    }

    private static <T> T call(String operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (JedisException e) {
            throw new StoreException("RedisTokenEpochStore." + operation + " failed: " + e.getMessage()
                    + (e.getCause() != null ? "; cause: " + e.getCause() : ""), e);
        }
    }
}
