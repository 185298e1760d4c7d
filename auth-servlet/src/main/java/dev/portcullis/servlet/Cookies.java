package dev.portcullis.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Writes and reads the session, CSRF, remember-me and device cookies. {@code Set-Cookie} is written
 * by hand so every container emits the same attributes: {@code Path=<context path>; HttpOnly;
 * SameSite=Lax}, plus {@code Secure} and a name prefix on secure requests (or always, when
 * configured, or when the container's session-cookie configuration says {@code Secure}):
 * {@code __Host-} when the path is {@code /} (the browser then refuses the cookie from any other
 * host or path), {@code __Secure-} under a context path ({@code __Host-} requires {@code Path=/}).
 * Two applications on one server thus keep separate cookies. A {@code SameSite} attribute set in
 * the container's session-cookie configuration ({@code <cookie-config><attribute>} in
 * {@code web.xml}, Servlet 6) is followed ({@code None} only with {@code Secure}). Session and CSRF cookies have no {@code Max-Age}: they end with the browser, and the
 * core enforces idle and absolute timeouts on the server. The remember-me cookie persists, and so
 * does the device cookie ({@value #DEVICE_NAME}), which outlives logout: it marks the browser as
 * one its user signed in with, for throttling only.
 */
final class Cookies {

    static final String HOST_PREFIX = "__Host-";
    static final String SECURE_PREFIX = "__Secure-";
    /** The device cookie's name (before the prefix); it carries a {@code DeviceToken}. */
    static final String DEVICE_NAME = "portcullis_device";
    /** Carries the pending sign-in handle between the password and the code step (5 minutes, HttpOnly). */
    static final String PENDING_NAME = "portcullis_pending";
    /** How long the pending cookie lives: the handle's own lifetime in the core. */
    static final java.time.Duration PENDING_LIFETIME = java.time.Duration.ofMinutes(5);

    private final AuthConfig.CookieSettings settings;
    /** The jar of the latest request; immutable, so a racing replacement is harmless. */
    private volatile Jar lastJar;

    Cookies(AuthConfig.CookieSettings settings) {
        this.settings = settings;
    }

    /**
     * The names and attributes for one request, decided once from the settings, the context path,
     * the container's session-cookie configuration and {@code request.isSecure()}.
     */
    Jar jarFor(HttpServletRequest request) {
        Optional<SessionCookieConfig> container = containerConfig(request);
        boolean secure = settings.security() == AuthConfig.CookieSecurity.ALWAYS || request.isSecure()
                || container.map(SessionCookieConfig::isSecure).orElse(false);
        String path = settings.path().orElseGet(() -> request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        String prefix = !secure ? "" : path.equals("/") ? HOST_PREFIX : SECURE_PREFIX;
        String sameSite = container.map(c -> c.getAttribute("SameSite")).map(Cookies::sameSite).orElse("Lax");
        if (sameSite.equals("None") && !secure) {
            sameSite = "Lax"; // browsers drop SameSite=None without Secure
        }
        Jar last = lastJar;
        if (last != null && last.secure() == secure && last.path().equals(path) && last.sameSite().equals(sameSite)) {
            return last; // the same for every request of a context: no five concatenations per request
        }
        Jar jar = new Jar(prefix + settings.sessionName(), prefix + settings.csrfName(), prefix + settings.rememberMeName(),
                prefix + DEVICE_NAME, prefix + PENDING_NAME, "; Path=" + path + "; HttpOnly; SameSite=" + sameSite
                + (secure ? "; Secure" : ""), path, secure, sameSite);
        lastJar = jar;
        return jar;
    }

    private static Optional<SessionCookieConfig> containerConfig(HttpServletRequest request) {
        try {
            return Optional.ofNullable(request.getServletContext()).map(ServletContext::getSessionCookieConfig);
        } catch (RuntimeException unavailable) {
            return Optional.empty(); // e.g. a context that does not support sessions
        }
    }

    /** The container's value in canonical case, or Lax for anything unknown. */
    private static String sameSite(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "strict" -> "Strict";
            case "none" -> "None";
            default -> "Lax";
        };
    }

    /** The first cookie of that exact name. */
    static Optional<String> read(HttpServletRequest request, String name) {
        return read(request.getCookies(), name);
    }

    /** The first cookie of that exact name among {@code request.getCookies()} (null for none), read once per request. */
    static Optional<String> read(Cookie[] cookies, String name) {
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                // RFC 6265 lets a client wrap the value in double quotes (Java's own cookie client does
                // for a cookie set with Max-Age), and Tomcat keeps them; our values never contain any.
                String v = c.getValue();
                return Optional.ofNullable(v != null && v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
                        ? v.substring(1, v.length() - 1) : v);
            }
        }
        return Optional.empty();
    }

    /** The cookies of one request. Immutable. */
    record Jar(String sessionName, String csrfName, String rememberMeName, String deviceName, String pendingName,
               String attributes, String path, boolean secure, String sameSite) {

        void set(HttpServletResponse response, String name, String value) {
            response.addHeader("Set-Cookie", name + "=" + value + attributes);
        }

        /** A cookie that outlives the browser session, for {@code maxAge} (whole seconds, at least 1). */
        void setPersistent(HttpServletResponse response, String name, String value, Duration maxAge) {
            response.addHeader("Set-Cookie", name + "=" + value + "; Max-Age=" + Math.max(1, maxAge.getSeconds()) + attributes);
        }

        void clear(HttpServletResponse response, String name) {
            response.addHeader("Set-Cookie", name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + attributes);
        }
    }
}
