package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.FieldErrors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Everything the filter and the endpoints share: the facade, the settings and their helpers. Thread-safe. */
final class AuthRuntime {

    final Portcullis portcullis;
    final AuthConfig config;
    final Cookies cookies;
    final CsrfTokens csrf;
    final ClientAddresses addresses;
    final Json json = new Json();
    /** The login and register pages are always public; built once, not per request. */
    final PathPattern loginPagePattern;
    final PathPattern registerPagePattern;

    AuthRuntime(Portcullis portcullis, AuthConfig config) {
        this.portcullis = portcullis;
        this.config = config;
        this.cookies = new Cookies(config);
        this.loginPagePattern = new PathPattern(AuthFilter.pathOnly(config.loginPage()));
        this.registerPagePattern = new PathPattern(AuthFilter.pathOnly(config.registerPage()));
        SecureRandom random = new SecureRandom();
        byte[] key = config.csrfSecret().orElseGet(() -> {
            byte[] k = new byte[32];
            random.nextBytes(k);
            return k;
        });
        this.csrf = new CsrfTokens(key, random);
        this.addresses = new ClientAddresses(config.trustedProxies(), config.clientAddressHeader());
    }

    /** JSON for API paths, JSON request bodies, and clients that ask for JSON rather than HTML. */
    /** Bearer tokens count only on declared API paths; with none declared, everywhere. */
    boolean bearerAllowedAt(String path) {
        return config.apiPaths().isEmpty()
                || (path != null && config.apiPaths().stream().anyMatch(p -> p.matchesIgnoringCase(path)));
    }

    boolean wantsJson(HttpServletRequest request, String path) {
        if (path != null && config.apiPaths().stream().anyMatch(p -> p.matchesIgnoringCase(path))) {
            return true;
        }
        if (isJsonMediaType(request.getContentType())) {
            return true;
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        return (a.contains("application/json") || a.contains("+json")) && !a.contains("text/html");
    }

    static boolean isJsonMediaType(String contentType) {
        String m = mediaType(contentType);
        return m.equals("application/json") || (m.startsWith("application/") && m.endsWith("+json"));
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * A JSON request to a configured token endpoint: no CSRF token, no cookies read or written
     * (see {@link AuthConfig.Builder#tokenEndpointPath}).
     */
    boolean isTokenEndpointRequest(HttpServletRequest request, String path) {
        return path != null && isJsonMediaType(request.getContentType())
                && config.tokenEndpointPaths().stream().anyMatch(p -> p.matches(path));
    }

    Optional<TokenDigest> csrfBinding(RequestState state) {
        return state.user.isPresent() && !state.bearer ? state.session.map(SessionToken::digest) : Optional.empty();
    }

    String csrfToken(RequestState state) {
        if (state.csrfCookie == null) {
            // Bearer and token-endpoint requests: stateless, the value is never written nor checked.
            state.csrfCookie = csrf.newCookieValue();
        }
        return csrf.tokenFor(state.csrfCookie, csrfBinding(state));
    }

    /** Anonymous: a redirect to the login page for browsers, 401 JSON for API clients. */
    void challenge(HttpServletRequest request, HttpServletResponse response, String path, boolean json,
                   boolean bearer) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (json) {
            String challenge = bearer ? "Bearer realm=\"portcullis\", error=\"invalid_token\"" : "Session realm=\"portcullis\"";
            response.setHeader("WWW-Authenticate", challenge);
            ObjectNode body = this.json.error("unauthenticated", "Log in to continue.", new FieldErrors(java.util.Map.of()));
            body.put("login", request.getContextPath() + config.loginPage());
            write(response, HttpServletResponse.SC_UNAUTHORIZED, "application/json", this.json.write(body));
            return;
        }
        String next = nextFor(request, path);
        String location = request.getContextPath() + config.loginPage()
                + (config.loginPage().contains("?") ? "&" : "?") + "next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", location);
    }

    /** The context-relative path and query of the request, as sent (still percent-encoded). */
    private static String nextFor(HttpServletRequest request, String path) {
        String uri = request.getRequestURI();
        String ctx = request.getContextPath();
        String raw = uri != null && uri.startsWith(ctx) ? uri.substring(ctx.length()) : path;
        if (raw == null || raw.isEmpty()) {
            raw = "/";
        }
        String query = request.getQueryString();
        return query == null ? raw : raw + "?" + query;
    }

    void refuse(HttpServletResponse response, boolean json, int status, String code, String message) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (json) {
            write(response, status, "application/json", this.json.write(this.json.error(code, message, new FieldErrors(java.util.Map.of()))));
        } else {
            write(response, status, "text/plain", message + "\n");
        }
    }

    static void write(HttpServletResponse response, int status, String contentType, String body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(contentType + ";charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        jakarta.servlet.ServletOutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IllegalStateException writerInUse) {
            // The application already took the writer (e.g. an including servlet); our bodies are ASCII.
            response.getWriter().write(body);
            return;
        }
        response.setContentLength(bytes.length);
        out.write(bytes);
    }

    static void retryAfter(HttpServletResponse response, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
    }
}
