package dev.portcullis.redis;

import dev.portcullis.spi.StoreException;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import redis.clients.jedis.exceptions.JedisException;

/** The checked key prefix of one application, and the one translation of Jedis faults. */
final class KeyPrefix {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]{1,100}");

    private KeyPrefix() {
    }

    /** @throws IllegalArgumentException unless 1 to 100 letters, digits or {@code :_.-} (no glob characters, for SCAN) */
    static String check(String keyPrefix) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix must be 1 to 100 letters, digits or ':_.-', e.g. \"myapp:\"");
        }
        return keyPrefix;
    }

    /** Runs a Redis call; a Jedis fault becomes a {@link StoreException} naming the store, operation and cause. */
    static <T> T call(String store, String operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (JedisException e) {
            throw new StoreException(store + "." + operation + " failed: " + e.getMessage()
                    + (e.getCause() != null ? "; cause: " + e.getCause() : ""), e);
        }
    }

    static long asLong(Object reply) {
        return reply instanceof Long n ? n : 0L;
    }
}
