package dev.portcullis.redis;

import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link RevocationBus} over Redis pub/sub.
 *
 * <p>{@link #publish} is one {@code PUBLISH channel payload} through the application's pooled client;
 * the payload is the event's short text form ({@code s:<digest>}, {@code u:<user id>}, …). A daemon
 * thread named {@code portcullis-bus-redis-<channel>} holds one connection of its own, subscribed to
 * the channel. When that connection fails (Redis restart, {@code CLIENT KILL}, network), the listeners
 * are told ({@link RevocationListener#connectionLost}: caches fall back to their short TTL), the loss
 * is logged, and the thread reconnects with exponential backoff; once subscribed again it logs that
 * and tells the listeners ({@link RevocationListener#connectionRestored}: they flush, since pub/sub
 * keeps nothing for an absent subscriber). A subscribed connection waits without a read timeout, so
 * one that died without a word (a dropped TCP path, a frozen proxy) would look connected for as long
 * as TCP takes to notice: a second daemon thread, {@code portcullis-bus-redis-<channel>-health},
 * sends a {@code PING} over the subscribed connection after every {@link Builder#healthCheck} of
 * silence and, when neither the {@code PONG} nor anything else comes back within another
 * {@code healthCheck}, drops the connection, which reports the loss and reconnects as above. So
 * {@link #connected()} turns false within about twice the health check of any failure.
 * {@link #close()} unsubscribes, ends both threads and closes the connection.
 *
 * <pre>{@code
 * JedisPooled redis = new JedisPooled(uri);
 * RedisRevocationBus bus = RedisRevocationBus.builder(redis, uri).channel("myapp:revocation").start();
 * }</pre>
 *
 * Thread-safe.
 */
public final class RedisRevocationBus implements RevocationBus, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisRevocationBus.class.getName());

    private final UnifiedJedis publisher;
    private final URI uri;
    private final JedisClientConfig config;
    private final String channel;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration healthCheck;
    private final CopyOnWriteArrayList<RevocationListener> listeners = new CopyOnWriteArrayList<>();
    private final Object wakeUp = new Object();
    private final Thread thread;
    private final Thread health;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Jedis connection;
    private volatile JedisPubSub subscription;
    private volatile long clientId = -1;
    /** {@link System#nanoTime} of the last reply on the subscribed connection. */
    private volatile long lastHeard;
    /** The connection a health-check PING went out on and is unanswered, else null. */
    private volatile Jedis pinged;
    private volatile long pingedAt;
    private int failures;

    private RedisRevocationBus(Builder b) {
        this.publisher = b.publisher;
        this.uri = b.uri;
        this.config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(2_000).socketTimeoutMillis(2_000).build();
        this.channel = b.channel;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.healthCheck = b.healthCheck;
        this.thread = new Thread(this::run, "portcullis-bus-redis-" + channel);
        this.thread.setDaemon(true);
        this.health = new Thread(this::watch, "portcullis-bus-redis-" + channel + "-health");
        this.health.setDaemon(true);
    }

    /**
     * @param publisher the application's thread-safe client, used to publish; not closed by the bus
     * @param uri       {@code redis://host:port} of the same Redis, for the listening connection
     */
    public static Builder builder(UnifiedJedis publisher, URI uri) {
        return new Builder(publisher, uri);
    }

    @Override
    public void publish(RevocationEvent event) {
        Objects.requireNonNull(event, "event");
        KeyPrefix.call("RedisRevocationBus", "publish", () -> publisher.publish(channel, event.toWire()));
    }

    @Override
    public Subscription subscribe(RevocationListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        if (!connected) {
            listener.connectionLost();
        }
        return () -> listeners.remove(listener);
    }

    @Override
    public boolean connected() {
        return connected && !closed;
    }

    public String channel() {
        return channel;
    }

    /** The Redis client id of the subscribed connection, when connected (for monitoring and for tests that kill it). */
    public Optional<Long> listeningClientId() {
        return connected() ? Optional.of(clientId) : Optional.empty();
    }

    /** Unsubscribes, ends both threads and closes the connection; waits up to 5 s. Idempotent. */
    @Override
    public void close() {
        closed = true;
        JedisPubSub sub = subscription;
        boolean unsubscribed = false;
        if (sub != null && sub.isSubscribed()) {
            try {
                sub.unsubscribe();
                unsubscribed = true;
            } catch (JedisException | IllegalStateException e) {
                unsubscribed = false;
            }
        }
        Jedis c = connection;
        if (!unsubscribed && c != null) {
            c.disconnect(); // not subscribed yet: the thread's next call fails and it sees closed
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            thread.join(5_000);
            health.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The health thread: PING after {@code healthCheck} of silence; no answer within another
     * {@code healthCheck} and the connection is dropped (its reader then fails and reconnects).
     */
    private void watch() {
        long tick = Math.max(10, Math.min(250, healthCheck.toMillis() / 4));
        while (!closed) {
            pause(tick);
            Jedis c = connection;
            JedisPubSub sub = subscription;
            if (closed || !connected || c == null || sub == null) {
                continue;
            }
            long now = System.nanoTime();
            Jedis waitingOn = pinged;
            if (waitingOn == null) {
                if (now - lastHeard > healthCheck.toNanos()) {
                    pingedAt = now;
                    pinged = c;
                    try {
                        sub.ping();
                    } catch (JedisException | IllegalStateException e) {
                        drop(c, "PING failed: " + e);
                    }
                }
            } else if (now - pingedAt > healthCheck.toNanos()) {
                drop(waitingOn, "no answer to PING within " + healthCheck.toMillis() + " ms");
            }
        }
    }

    private void drop(Jedis c, String why) {
        pinged = null;
        if (c == connection && !closed) {
            LOG.log(System.Logger.Level.WARNING, "revocation bus: Redis connection on channel {0} looks dead ({1}); "
                    + "dropping it", channel, why);
            c.disconnect(); // the reading thread fails, reports the loss and reconnects
        }
    }

    private void heard() {
        lastHeard = System.nanoTime();
        pinged = null;
    }

    private void run() {
        long backoff = minBackoff.toMillis();
        while (!closed) {
            try (Jedis jedis = new Jedis(uri, config)) {
                connection = jedis;
                clientId = jedis.clientId();
                JedisPubSub sub = new Listener();
                subscription = sub;
                if (closed) {
                    break;
                }
                jedis.subscribe(sub, channel); // returns after unsubscribe (close)
                backoff = minBackoff.toMillis();
            } catch (JedisException | IllegalStateException e) {
                if (closed) {
                    break;
                }
                failures++;
                if (connected || failures == 1) {
                    LOG.log(System.Logger.Level.WARNING, "revocation bus: Redis connection lost on channel {0} (caches fall "
                            + "back to their short TTL), reconnecting in {1} ms: {2}", channel, backoff, e.toString());
                    // The listeners first: whoever sees connected() false may rely on the caches' short TTL.
                    for (RevocationListener l : listeners) {
                        safely(l::connectionLost);
                    }
                    connected = false;
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "revocation bus: reconnect attempt {0} failed: {1}", failures,
                            e.toString());
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            } finally {
                connected = false;
                connection = null;
                subscription = null;
            }
        }
    }

    /** Runs on the bus thread, inside {@code subscribe}. */
    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String subscribed, int count) {
            heard();
            if (failures > 0) {
                LOG.log(System.Logger.Level.INFO, "revocation bus: subscribed again to Redis channel {0} after {1} failed "
                        + "attempt(s); caches are flushed", channel, failures);
            } else {
                LOG.log(System.Logger.Level.INFO, "revocation bus: subscribed to Redis channel {0}", channel);
            }
            failures = 0;
            connected = true;
            for (RevocationListener l : listeners) {
                safely(l::connectionRestored);
            }
        }

        @Override
        public void onMessage(String from, String message) {
            heard();
            RevocationEvent.fromWire(message).ifPresent(event -> {
                for (RevocationListener l : listeners) {
                    safely(() -> l.received(event));
                }
            });
        }

        @Override
        public void onPong(String pattern) {
            heard();
        }
    }

    private static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "revocation bus: a listener failed: {0}", e.toString());
        }
    }

    private void pause(long millis) {
        synchronized (wakeUp) {
            if (closed) {
                return;
            }
            try {
                wakeUp.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** Settings of a {@link RedisRevocationBus}; {@link #start()} builds it and starts listening. */
    public static final class Builder {
        private final UnifiedJedis publisher;
        private final URI uri;
        private String channel = "portcullis:revocation";
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration healthCheck = Duration.ofSeconds(10);

        private Builder(UnifiedJedis publisher, URI uri) {
            this.publisher = Objects.requireNonNull(publisher, "publisher");
            this.uri = Objects.requireNonNull(uri, "uri");
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("uri must be redis://host:port or rediss://host:port, was " + uri);
            }
        }

        /**
         * The channel, default {@code portcullis:revocation}; give each application on one Redis its
         * own, e.g. its key prefix + {@code "revocation"}: 1 to 100 letters, digits or {@code :_.-}.
         */
        public Builder channel(String value) {
            this.channel = KeyPrefix.check(value);
            return this;
        }

        /** The wait before the first reconnect (10 ms to 10 s, default 100 ms), doubling up to {@code max} (up to 5 min, default 10 s). */
        public Builder reconnectBackoff(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.compareTo(Duration.ofMillis(10)) < 0 || min.compareTo(Duration.ofSeconds(10)) > 0
                    || max.compareTo(min) < 0 || max.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("reconnectBackoff must be 10 ms <= min <= 10 s, min <= max <= 5 min");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * After this much silence the subscribed connection is checked with a {@code PING}, and
         * dropped (then reconnected) when no answer comes within as long again; 1 s to 5 min,
         * default 10 s, as {@code PostgresRevocationBus}'s {@code SELECT 1}.
         */
        public Builder healthCheck(Duration value) {
            Objects.requireNonNull(value, "healthCheck");
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("healthCheck must be 1 s to 5 min, was " + value);
            }
            this.healthCheck = value;
            return this;
        }

        /** Builds the bus and starts its listening and health threads; it connects in the background. */
        public RedisRevocationBus start() {
            RedisRevocationBus bus = new RedisRevocationBus(this);
            bus.thread.start();
            bus.health.start();
            return bus;
        }
    }
}
