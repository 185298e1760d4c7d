package dev.portcullis.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * Writes and reads the session, CSRF and remember-me cookies. {@code Set-Cookie} is written by
 * hand so every container emits the same attributes: {@code Path=/; HttpOnly; SameSite=Lax}, plus
 * {@code Secure} and the {@code __Host-} name prefix on secure requests (or always, when
 * configured). Session and CSRF cookies have no {@code Max-Age}: they end with the browser, and the
 * core enforces idle and absolute timeouts on the server. Only the remember-me cookie persists.
 */
final class Cookies {

    static final String HOST_PREFIX = "__Host-";

    private final AuthConfig config;

    Cookies(AuthConfig config) {
        this.config = config;
    }

    boolean secure(HttpServletRequest request) {
        return config.cookieSecurity() == AuthConfig.CookieSecurity.ALWAYS || request.isSecure();
    }

    String sessionName(HttpServletRequest request) {
        return (secure(request) ? HOST_PREFIX : "") + config.cookieName();
    }

    String csrfName(HttpServletRequest request) {
        return (secure(request) ? HOST_PREFIX : "") + config.csrfCookieName();
    }

    String rememberMeName(HttpServletRequest request) {
        return (secure(request) ? HOST_PREFIX : "") + config.rememberMeCookieName();
    }

    /** The first cookie of that exact name. */
    static Optional<String> read(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return Optional.ofNullable(c.getValue());
            }
        }
        return Optional.empty();
    }

    void set(HttpServletRequest request, HttpServletResponse response, String name, String value) {
        response.addHeader("Set-Cookie", name + "=" + value + attributes(request));
    }

    /** A cookie that outlives the browser session, for {@code maxAge} (whole seconds, at least 1). */
    void setPersistent(HttpServletRequest request, HttpServletResponse response, String name, String value,
                       java.time.Duration maxAge) {
        long seconds = Math.max(1, maxAge.getSeconds());
        response.addHeader("Set-Cookie", name + "=" + value + "; Max-Age=" + seconds + attributes(request));
    }

    void clear(HttpServletRequest request, HttpServletResponse response, String name) {
        response.addHeader("Set-Cookie", name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + attributes(request));
    }

    private String attributes(HttpServletRequest request) {
        return "; Path=/; HttpOnly; SameSite=Lax" + (secure(request) ? "; Secure" : "");
    }
}
