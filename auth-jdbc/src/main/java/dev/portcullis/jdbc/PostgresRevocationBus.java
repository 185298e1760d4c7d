package dev.portcullis.jdbc;

import dev.portcullis.spi.RevocationBus;
import dev.portcullis.spi.RevocationEvent;
import dev.portcullis.spi.RevocationListener;
import dev.portcullis.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A {@link RevocationBus} over PostgreSQL's {@code LISTEN}/{@code NOTIFY}, through the pgjdbc driver
 * the stores already use: nodes sharing a database share their revocations, with no other server.
 *
 * <p>{@link #publish} runs {@code SELECT pg_notify(channel, payload)} on a connection of the data
 * source (one statement, about a millisecond); the payload is the event's short text form
 * ({@code s:<digest>}, {@code u:<user id>}, …, at most ~130 bytes against PostgreSQL's 8000).
 * A daemon thread named {@code portcullis-bus-postgres-<channel>} holds one connection of its own
 * (from {@link Builder#listenVia}, by default the same data source: count it in the pool size) on
 * which it has run {@code LISTEN channel}, and waits for notifications with pgjdbc's
 * {@code PGConnection.getNotifications(timeout)}, which returns as soon as one arrives. Every
 * {@link Builder#healthCheck} of silence it runs {@code SELECT 1}, under a read timeout of the same
 * length, so a connection that died without a word (a dropped TCP path) is noticed within about
 * twice the health check.
 *
 * <p>When the connection fails (server restart, {@code pg_terminate_backend}, network), the
 * listeners are told ({@link RevocationListener#connectionLost}: caches fall back to their short
 * TTL), the loss is logged, and the thread reconnects with exponential backoff (from
 * {@link Builder#reconnectBackoff}'s minimum, doubling to its maximum); once it listens again it
 * logs that and tells the listeners ({@link RevocationListener#connectionRestored}: they flush,
 * since notifications sent meanwhile are lost). {@link #close()} stops the thread and closes the
 * connection. Works through a pool (HikariCP unwraps to pgjdbc's connection); not through
 * PgBouncer in transaction mode, which does not keep a {@code LISTEN}.
 *
 * <pre>{@code
 * PostgresRevocationBus bus = PostgresRevocationBus.builder(dataSource).start();
 * Portcullis auth = Portcullis.builder().stores(JdbcStores.create(dataSource)).revocationBus(bus)...build();
 * // on shutdown: auth.close(); bus.close();
 * }</pre>
 *
 * Thread-safe.
 */
public final class PostgresRevocationBus implements RevocationBus, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PostgresRevocationBus.class.getName());
    /** A plain PostgreSQL identifier, so it needs no quoting in {@code LISTEN}. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** The default channel. */
    public static final String DEFAULT_CHANNEL = "portcullis_revocation";

    private final DataSource publishVia;
    private final DataSource listenVia;
    private final String channel;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration healthCheck;
    private final CopyOnWriteArrayList<RevocationListener> listeners = new CopyOnWriteArrayList<>();
    private final Object wakeUp = new Object();
    private final Thread thread;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile int backendPid;

    private PostgresRevocationBus(Builder b) {
        this.publishVia = b.publishVia;
        this.listenVia = b.listenVia != null ? b.listenVia : b.publishVia;
        this.channel = b.channel;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.healthCheck = b.healthCheck;
        this.thread = new Thread(this::run, "portcullis-bus-postgres-" + channel);
        this.thread.setDaemon(true);
    }

    /** @param dataSource where events are published (and, unless {@link Builder#listenVia}, listened for) */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public void publish(RevocationEvent event) {
        Objects.requireNonNull(event, "event");
        try (Connection c = publishVia.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, event.toWire());
            s.execute();
            if (!c.getAutoCommit()) {
                c.commit(); // NOTIFY is delivered at commit
            }
        } catch (SQLException e) {
            throw new StoreException("PostgresRevocationBus.publish failed: " + e.getMessage(), e);
        }
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

    /** The channel notifications are sent on. */
    public String channel() {
        return channel;
    }

    /**
     * The process id of the server backend that listens now, when connected (for monitoring, and for
     * tests that terminate it with {@code pg_terminate_backend}).
     */
    public Optional<Integer> listeningBackendPid() {
        return connected() ? Optional.of(backendPid) : Optional.empty();
    }

    /** Stops listening: ends the thread and closes its connection; waits up to 5 s for it. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long backoff = minBackoff.toMillis();
        int failures = 0;
        while (!closed) {
            try (Connection c = listenVia.getConnection()) {
                listen(c);
                if (failures > 0) {
                    LOG.log(System.Logger.Level.INFO, "revocation bus: listening again on PostgreSQL channel {0} after {1} "
                            + "failed attempt(s); caches are flushed", channel, failures);
                } else {
                    LOG.log(System.Logger.Level.INFO, "revocation bus: listening on PostgreSQL channel {0}", channel);
                }
                failures = 0;
                backoff = minBackoff.toMillis();
                connected = true;
                for (RevocationListener l : listeners) {
                    safely(l::connectionRestored);
                }
                receive(c);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                failures++;
                if (connected || failures == 1) {
                    LOG.log(System.Logger.Level.WARNING, "revocation bus: PostgreSQL connection lost on channel {0} "
                            + "(caches fall back to their short TTL), reconnecting in {1} ms: {2}", channel, backoff,
                            e.toString());
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "revocation bus: reconnect attempt {0} failed: {1}", failures,
                            e.toString());
                }
                if (connected || failures == 1) {
                    // The listeners first: whoever sees connected() false may rely on the caches' short TTL.
                    for (RevocationListener l : listeners) {
                        safely(l::connectionLost);
                    }
                    connected = false;
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            } finally {
                connected = false;
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true); // LISTEN takes effect at commit
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        // Without a read timeout the health check's SELECT 1 on a connection that died without a word
        // would wait for TCP to give up (many minutes); with it, the silence fails the read.
        c.setNetworkTimeout(Runnable::run, (int) healthCheck.toMillis());
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel);
        }
        backendPid = pg.getBackendPID();
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int waitMillis = (int) Math.min(250, healthCheck.toMillis());
        long quietSince = System.nanoTime();
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(waitMillis);
            if (notifications != null && notifications.length > 0) {
                quietSince = System.nanoTime();
                for (PGNotification n : notifications) {
                    RevocationEvent.fromWire(n.getParameter()).ifPresent(this::deliver);
                }
            } else if (System.nanoTime() - quietSince > healthCheck.toNanos()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private void deliver(RevocationEvent event) {
        for (RevocationListener l : listeners) {
            safely(() -> l.received(event));
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

    /** Settings of a {@link PostgresRevocationBus}; {@link #start()} builds it and starts listening. */
    public static final class Builder {
        private final DataSource publishVia;
        private DataSource listenVia;
        private String channel = DEFAULT_CHANNEL;
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration healthCheck = Duration.ofSeconds(10);

        private Builder(DataSource publishVia) {
            this.publishVia = Objects.requireNonNull(publishVia, "dataSource");
        }

        /**
         * The channel: a lower-case PostgreSQL identifier (letters, digits, {@code _}, at most 63);
         * default {@value PostgresRevocationBus#DEFAULT_CHANNEL}. Give each application sharing a
         * database its own (e.g. with its table prefix), so they do not evict each other's caches.
         */
        public Builder channel(String value) {
            Objects.requireNonNull(value, "channel");
            if (!CHANNEL.matcher(value).matches()) {
                throw new IllegalArgumentException("channel must be a lower-case identifier of 1 to 63 letters, digits or '_', "
                        + "starting with a letter or '_', was \"" + value + "\"");
            }
            this.channel = value;
            return this;
        }

        /** Where the one listening connection comes from; default the publishing data source. */
        public Builder listenVia(DataSource value) {
            this.listenVia = Objects.requireNonNull(value, "listenVia");
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
         * After this much silence the listening connection is checked with {@code SELECT 1}, which
         * must answer within as long again (else the connection is dropped and replaced); 1 s to
         * 5 min, default 10 s.
         */
        public Builder healthCheck(Duration value) {
            Objects.requireNonNull(value, "healthCheck");
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("healthCheck must be 1 s to 5 min, was " + value);
            }
            this.healthCheck = value;
            return this;
        }

        /** Builds the bus and starts its listening thread; it connects in the background. */
        public PostgresRevocationBus start() {
            PostgresRevocationBus bus = new PostgresRevocationBus(this);
            bus.thread.start();
            return bus;
        }
    }
}
