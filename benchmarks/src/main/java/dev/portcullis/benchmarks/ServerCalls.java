package dev.portcullis.benchmarks;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls the phases make to the load server besides the load itself: a browser-like form
 * login (CSRF cookie and token first), and its stats page (peaks, JIT and CPU time).
 */
final class ServerCalls {

    static final String HOST = "127.0.0.1";
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\"\\s*:\\s*\"([^\"]+)\"");

    private ServerCalls() {
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String csrfToken(HttpConnection.Response r) {
        Matcher m = CSRF.matcher(r.bodyText());
        if (!m.find()) {
            throw new IllegalStateException("no csrfToken in " + r.bodyText());
        }
        return m.group(1);
    }

    /** GET /auth/csrf then POST /auth/login; @param extra an extra header or null */
    static HttpConnection.Response formLogin(HttpConnection c, String host, String context, String email,
                                                     String password, String extra) throws IOException {
        HttpConnection.Response csrf = c.exchange(HttpConnection.request("GET", context + "/auth/csrf", host,
                List.of("Accept: application/json"), null), true);
        String cookie = HttpConnection.cookiePair(csrf.setCookies().get(0));
        List<String> headers = new ArrayList<>(List.of("Cookie: " + cookie, "Content-Type: application/x-www-form-urlencoded"));
        if (extra != null) {
            headers.add(extra);
        }
        String body = "email=" + enc(email) + "&password=" + enc(password) + "&csrf_token=" + enc(csrfToken(csrf));
        return c.exchange(HttpConnection.request("POST", context + "/auth/login", host, headers, body), false);
    }

    /** Logs in over HTTP like a browser; @return the Cookie header value (session and CSRF cookies) */
    static String loginOverHttp(int port, String context, String email) throws IOException {
        try (HttpConnection c = new HttpConnection(HOST, port)) {
            HttpConnection.Response r = formLogin(c, HOST + ":" + port, context, email, Fixtures.PASSWORD, null);
            if (r.status() != 303) {
                throw new IllegalStateException("login over HTTP answered " + r.status());
            }
            Map<String, String> jar = new LinkedHashMap<>();
            for (String set : r.setCookies()) {
                String pair = HttpConnection.cookiePair(set);
                int eq = pair.indexOf('=');
                jar.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            if (!jar.containsKey("portcullis_session") || !jar.containsKey("portcullis_csrf")) {
                throw new IllegalStateException("login set cookies " + jar.keySet());
            }
            return "portcullis_session=" + jar.get("portcullis_session") + "; portcullis_csrf=" + jar.get("portcullis_csrf");
        }
    }

    static void statsReset(int port) throws IOException {
        statsCall(port, "/bare/stats?reset=1");
    }

    static String statsRead(int port) throws IOException {
        return statsCall(port, "/bare/stats").strip();
    }

    /** The flood server's {@link ServerTimes} since the last call (and empties them). */
    static String serverTimes(int port) throws IOException {
        return statsCall(port, "/bare/times");
    }

    private static String statsCall(int port, String path) throws IOException {
        try (HttpConnection c = new HttpConnection(HOST, port)) {
            return c.exchange(HttpConnection.request("GET", path, HOST + ":" + port, List.of(), null), true).bodyText();
        }
    }

    static long field(String stats, String name) {
        Matcher m = Pattern.compile(name + "=(-?\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
