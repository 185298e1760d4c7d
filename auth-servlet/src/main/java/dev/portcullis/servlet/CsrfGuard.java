package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The cross-site request checks on unsafe requests, except those a bearer token authenticated on
 * a declared API path (a header the browser never adds by itself, and no ambient credential):
 * {@code Sec-Fetch-Site: cross-site} and a foreign {@code Origin} are refused, then the CSRF token
 * ({@link CsrfTokens}) from the {@value AuthAttributes#CSRF_HEADER} header or, only when that is
 * absent, the {@value AuthAttributes#CSRF_FIELD} field of a form body. Headers and the cookie are
 * looked at before the body is read, so a request refused on them costs no body parsing. JSON
 * requests to token endpoints need no token (they carry no ambient credential) but pass the
 * header checks. Thread-safe.
 */
final class CsrfGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final CsrfTokens tokens;
    private final List<String> allowedOrigins;

    CsrfGuard(CsrfTokens tokens, List<String> allowedOrigins) {
        this.tokens = tokens;
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * Anything but GET, HEAD, OPTIONS and TRACE, in any letter case, unless a bearer token was
     * accepted on an API path: a bearer header alone (junk, expired, or on a form endpoint) switches
     * nothing off.
     */
    static boolean applies(HttpServletRequest request, RequestAuth auth) {
        String method = request.getMethod();
        return !auth.bearerAuthenticated() && (method == null || !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT)));
    }

    /** Why the request is refused (403 {@code csrf}), or empty when it may go on. */
    Optional<Answer> refusal(HttpServletRequest request, RequestAuth auth) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && site.strip().equalsIgnoreCase("cross-site")) {
            return refuse("Forbidden: cross-site request refused (Sec-Fetch-Site: cross-site).");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(request, origin.strip())) {
            return refuse("Forbidden: request from a different origin refused (Origin does not match).");
        }
        if (auth.tokenEndpoint()) {
            return Optional.empty();
        }
        if (auth.noCsrfCookie()) {
            return refuse("Forbidden: CSRF token missing or invalid (no CSRF cookie). Reload the page and try again.");
        }
        String presented = request.getHeader(AuthAttributes.CSRF_HEADER);
        if (presented == null && auth.bodyKind().isForm()) {
            try {
                presented = request.getParameter(AuthAttributes.CSRF_FIELD);
            } catch (RuntimeException unreadable) {
                presented = null; // an unparseable body simply carries no token
            }
        }
        if (presented == null || presented.isEmpty()) {
            return refuse("Forbidden: CSRF token missing. Reload the page and try again.");
        }
        if (!tokens.verify(presented, auth.change().csrfCookie().orElse(null), auth.csrfBinding())) {
            return refuse("Forbidden: CSRF token invalid. Reload the page and try again.");
        }
        return Optional.empty();
    }

    private static Optional<Answer> refuse(String message) {
        return Optional.of(Answer.of(403, "csrf", message));
    }

    private boolean originAllowed(HttpServletRequest request, String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        return o.equals(ownOrigin(request)) || allowedOrigins.contains(o);
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443) || port <= 0;
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
