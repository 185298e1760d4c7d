package dev.portcullis.examples.webapp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * At most {@code limit} open connections per client address: a connection beyond it is closed as
 * soon as it opens, so one client cannot hold all the file descriptors and connections the server
 * has (issue 12, item 1). Reverse proxies named in {@code PORTCULLIS_TRUSTED_PROXIES} are exempt:
 * every visitor arrives through them, and limiting per visitor is then the proxy's job.
 * Thread-safe.
 */
final class ConnectionsPerClient implements Connection.Listener {

    private static final System.Logger LOG = System.getLogger(ConnectionsPerClient.class.getName());

    private final int limit;
    private final InetAddressSet exempt = new InetAddressSet();
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionsPerClient(int limit, List<String> trustedProxies) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
        trustedProxies.forEach(exempt::add);
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        if (client == null || exempt.test(client)) {
            return;
        }
        int now = open.merge(client, 1, Integer::sum);
        if (now > limit) {
            LOG.log(System.Logger.Level.DEBUG, "closing connection {0} from {1}: {2} open", connection, client, now);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = client(connection);
        if (client == null || exempt.test(client)) {
            return;
        }
        open.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
