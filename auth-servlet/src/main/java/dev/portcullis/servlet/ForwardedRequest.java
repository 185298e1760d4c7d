package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request as the client made it, when a trusted TLS-terminating proxy says so in
 * {@code X-Forwarded-Proto} (and optionally {@code X-Forwarded-Port}): {@link #isSecure()},
 * {@link #getScheme()}, {@link #getServerPort()} and {@link #getRequestURL()} answer for the
 * client's connection, so cookies get {@code Secure} and the {@code __Host-} prefix, HSTS is sent,
 * and the {@code Origin} check compares with {@code https://host}. The {@code Host} header is the
 * proxy's to pass on unchanged; {@code X-Forwarded-Host} is not read. The headers are believed
 * only from a trusted proxy (checked by {@link #of}), and only their rightmost value, which that
 * proxy wrote.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private final String scheme;
    private final int port;

    private ForwardedRequest(HttpServletRequest request, String scheme, int port) {
        super(request);
        this.scheme = scheme;
        this.port = port;
    }

    /**
     * The request as the proxy says the client sent it, or {@code request} itself when the peer is
     * not a trusted proxy, the setting is off, or the header is absent or neither http nor https.
     */
    static HttpServletRequest of(HttpServletRequest request, ClientAddresses addresses, boolean honour) {
        if (!honour || !addresses.peerIsTrustedProxy(request)) {
            return request;
        }
        Optional<String> proto = last(request.getHeader("X-Forwarded-Proto")).map(v -> v.toLowerCase(Locale.ROOT));
        if (proto.isEmpty() || !(proto.get().equals("https") || proto.get().equals("http"))) {
            return request;
        }
        String scheme = proto.get();
        int port = last(request.getHeader("X-Forwarded-Port")).filter(p -> PORT.matcher(p).matches())
                .map(Integer::parseInt).filter(p -> p > 0 && p < 65536)
                .orElse(scheme.equals("https") ? 443 : 80);
        return new ForwardedRequest(request, scheme, port);
    }

    private static Optional<String> last(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int comma = header.lastIndexOf(',');
        String v = (comma < 0 ? header : header.substring(comma + 1)).strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public boolean isSecure() {
        return scheme.equals("https");
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public StringBuffer getRequestURL() {
        boolean defaultPort = (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String host = getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return new StringBuffer(scheme).append("://").append(host).append(defaultPort ? "" : ":" + port)
                .append(getRequestURI());
    }
}
