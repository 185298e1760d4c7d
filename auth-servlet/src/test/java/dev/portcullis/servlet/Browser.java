package dev.portcullis.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A cookie-keeping HTTP client that never follows redirects and ignores cookie Secure flags. */
final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        String location() {
            return headers.firstValue("Location").orElse("");
        }

        List<String> setCookies() {
            return headers.allValues("Set-Cookie");
        }

        Optional<String> setCookie(String name) {
            return setCookies().stream().filter(c -> c.startsWith(name + "=")).findFirst();
        }
    }

    Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b, headers);
    }

    Response postForm(String path, Map<String, String> fields, String... headers) {
        return send("POST", path, "application/x-www-form-urlencoded", form(fields), headers);
    }

    Response postJson(String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Accept";
        all[headers.length + 1] = "application/json";
        return send("POST", path, "application/json", json, all);
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** GETs a page and returns the CSRF token in its form. */
    String csrfFrom(String path) {
        Response page = get(path);
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no csrf_token on " + path + ": " + page.status() + " " + page.body());
        }
        return m.group(1);
    }

    private Response send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            for (String c : r.headers().allValues("Set-Cookie")) {
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq);
                if (c.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, pair.substring(eq + 1));
                }
            }
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
