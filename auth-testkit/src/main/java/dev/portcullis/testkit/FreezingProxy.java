package dev.portcullis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a local port in front of a real server, for testing what a client does when its
 * connection dies <em>without a word</em> (a dropped network path, a crashed host): after
 * {@link #freezeOpenConnections()} the connections open at that moment stay open but carry nothing
 * more in either direction (bytes are read and thrown away, so nobody blocks or sees an error),
 * while new connections pass as before. A server-side kill ({@code CLIENT KILL},
 * {@code pg_terminate_backend}) closes the socket, which a client notices at once; a frozen
 * connection is noticed only by the client's own health check.
 *
 * <p>Threads: one accepting, two per connection, all daemons named {@code freezing-proxy-*}, ended
 * by {@link #close()}. Thread-safe.
 */
public final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FreezingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = Objects.requireNonNull(targetHost, "targetHost");
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "freezing-proxy-accept-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static FreezingProxy to(String host, int port) throws IOException {
        return new FreezingProxy(host, port);
    }

    /** The loopback port clients connect to instead of the server's. */
    public int port() {
        return server.getLocalPort();
    }

    /** How many connections are open through the proxy now (frozen ones included). */
    public int openConnections() {
        return (int) pairs.stream().filter(p -> !p.done).count();
    }

    /** From now on, the connections open at this moment carry nothing; later ones are not affected. */
    public void freezeOpenConnections() {
        for (Pair p : pairs) {
            p.frozen = true;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Pair p : pairs) {
            p.close();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
                } catch (IOException e) {
                    client.close();
                    upstream.close();
                    continue;
                }
                Pair pair = new Pair(client, upstream);
                pairs.add(pair);
                pair.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private final class Pair {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean frozen;
        private volatile boolean done;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (!frozen) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side closed: end the pair
                } finally {
                    // a frozen pair stays silent: its client must find out by itself, and closes it
                    if (!frozen) {
                        close();
                    }
                }
            }, "freezing-proxy-" + direction + "-" + port());
            t.setDaemon(true);
            t.start();
        }

        void close() {
            done = true;
            pairs.remove(this);
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
