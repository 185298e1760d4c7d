package dev.portcullis.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately cheap HTTP/1.1 keep-alive client for loopback load: one blocking socket, requests
 * written as prepared bytes, responses parsed just enough (status, Content-Length or chunked,
 * Set-Cookie, Location, Retry-After, Connection: close). It shares the two cores with the server, so it must
 * cost far less per request than the server does. Not thread-safe: one per virtual user.
 */
final class HttpConnection implements AutoCloseable {

    /** What the load generator needs of a response. */
    record Response(int status, List<String> setCookies, String location, String retryAfter, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] NO_BODY = new byte[0];

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[32 * 1024];
    private int pos;
    private int lim;
    private boolean reused;

    HttpConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends one request and reads its response; reconnects once if a kept-alive connection was closed. */
    Response exchange(byte[] request, boolean keepBody) throws IOException {
        while (true) {
            if (socket == null) {
                connect();
            }
            boolean wasReused = reused;
            try {
                out.write(request);
                out.flush();
                Response r = read(keepBody);
                reused = true;
                return r;
            } catch (IOException e) {
                close();
                if (!wasReused) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(60_000);
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        lim = 0;
        reused = false;
    }

    private Response read(boolean keepBody) throws IOException {
        String statusLine = line();
        if (statusLine == null || statusLine.length() < 12) {
            throw new EOFException("no status line");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        List<String> cookies = List.of();
        String location = null;
        String retryAfter = null;
        String header;
        while (!(header = line()).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon);
            String value = header.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closeAfter = value.equalsIgnoreCase("close");
            } else if (name.equalsIgnoreCase("Set-Cookie")) {
                if (cookies.isEmpty()) {
                    cookies = new ArrayList<>(2);
                }
                cookies.add(value);
            } else if (name.equalsIgnoreCase("Location")) {
                location = value;
            } else if (name.equalsIgnoreCase("Retry-After")) {
                retryAfter = value;
            }
        }
        byte[] body;
        if (chunked) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            while (true) {
                String sizeLine = line();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                all.write(bytes(size));
                line();
            }
            body = keepBody ? all.toByteArray() : NO_BODY;
        } else if (length > 0) {
            byte[] b = bytes((int) length);
            body = keepBody ? b : NO_BODY;
        } else {
            body = NO_BODY;
        }
        if (closeAfter || (length < 0 && !chunked && status != 204 && status != 304 && status >= 200)) {
            if (length < 0 && !chunked) {
                // body delimited by close: not produced by Jetty for these endpoints
                close();
            } else {
                close();
            }
        }
        return new Response(status, cookies, location, retryAfter, body);
    }

    private String line() throws IOException {
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos == lim) {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
                fill();
                start = pos;
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int end = pos - 1;
                if (end > start && buf[end - 1] == '\r') {
                    end--;
                } else if (end == start && sb != null && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                    sb.setLength(sb.length() - 1);
                }
                String tail = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                return sb == null ? tail : sb.append(tail).toString();
            }
        }
    }

    private byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int filled = 0;
        while (filled < n) {
            if (pos == lim) {
                fill();
            }
            int take = Math.min(n - filled, lim - pos);
            System.arraycopy(buf, pos, out, filled, take);
            pos += take;
            filled += take;
        }
        return out;
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed");
        }
        pos = 0;
        lim = n;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }

    static byte[] request(String method, String path, String host, List<String> headers, String body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            sb.append("Content-Length: ").append(b.length).append("\r\n");
            sb.append("\r\n").append(body);
        } else {
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** "name=value" of a Set-Cookie header value. */
    static String cookiePair(String setCookie) {
        int semi = setCookie.indexOf(';');
        return semi < 0 ? setCookie : setCookie.substring(0, semi);
    }
}
