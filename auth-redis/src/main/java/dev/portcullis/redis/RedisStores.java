package dev.portcullis.redis;

import dev.portcullis.Stores;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.policy.ThrottlePolicy;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * Puts the short-lived, hot state of a {@link Stores} on Redis: sessions, throttle counters,
 * remember-me tokens and, when {@code base} has two-factor sign-in, the pending sign-ins, each under
 * the application's key prefix; users, second-factor enrolments, mailed links, refresh tokens, API
 * keys and token epochs stay where {@code base} keeps them (a SQL database, typically). Passkey
 * challenges are not part of {@link Stores}: give {@code new RedisPasskeyChallengeStore(redis,
 * keyPrefix)} to {@code PasskeySettings.builder().stores(..)}.
 */
public final class RedisStores {

    private RedisStores() {
    }

    /**
     * {@code base} with Redis sessions, attempts and remember-me tokens, and Redis pending sign-ins
     * when {@code base} has second-factor stores (its enrolments stay where they are). The Redis
     * time to live of a session is the idle timeout plus the touch interval (an expired session is
     * refused by the core anyway); of a counter, the throttle's longest window; of a remember-me
     * token, its lifetime plus a day; of a pending sign-in, its lifetime plus a minute.
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
        Stores onRedis = base.withSessions(new RedisSessionStore(redis, keyPrefix, sessionRetention))
                .withAttempts(new RedisAttemptStore(redis, keyPrefix, attemptRetention))
                .withRememberMe(new RedisRememberMeStore(redis, keyPrefix, Duration.ofDays(1)));
        if (base.secondFactors().isPresent()) {
            onRedis = onRedis.withSecondFactors(base.secondFactors().get(),
                    new RedisPendingSignInStore(redis, keyPrefix, Duration.ofMinutes(1)));
        }
        return onRedis;
    }
}
