package dev.portcullis.redis;

import dev.portcullis.Stores;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * Puts the short-lived, hot state of a {@link Stores} on Redis: sessions, throttle counters and
 * remember-me tokens, each under the application's key prefix; users, mailed links, refresh tokens,
 * API keys and token epochs stay where {@code base} keeps them (a SQL database, typically).
 */
public final class RedisStores {

    private RedisStores() {
    }

    /**
     * {@code base} with Redis sessions, attempts and remember-me tokens. The Redis time to live of a
     * session is the idle timeout plus the touch interval (an expired session is refused by the core
     * anyway); of a counter, the throttle's longest window; of a remember-me token, its lifetime plus
     * a day.
     *
     * @param redis     a thread-safe client ({@code new JedisPooled(uri)}); closed by the application
     * @param keyPrefix the application's prefix, e.g. {@code "myapp:"}: 1 to 100 letters, digits or {@code :_.-}
     */
    public static Stores on(Stores base, UnifiedJedis redis, String keyPrefix, SessionPolicy sessions,
                            ThrottlePolicy throttle) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(redis, "redis");
        KeyPrefix.check(keyPrefix);
        Duration sessionRetention = sessions.idleTimeout().plus(sessions.touchInterval());
        if (sessionRetention.compareTo(Duration.ofSeconds(1)) < 0) {
            sessionRetention = Duration.ofSeconds(1);
        }
        Duration attemptRetention = throttle.longestWindow().compareTo(Duration.ofMinutes(1)) < 0
                ? Duration.ofMinutes(1) : throttle.longestWindow();
        return base.withSessions(new RedisSessionStore(redis, keyPrefix, sessionRetention))
                .withAttempts(new RedisAttemptStore(redis, keyPrefix, attemptRetention))
                .withRememberMe(new RedisRememberMeStore(redis, keyPrefix, Duration.ofDays(1)));
    }
}
