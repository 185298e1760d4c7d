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
 * looked at before the body is read, so a request refused on them costs no body parsing; a form
 * declared larger than {@link AuthConfig.BodyLimits#maxFormBytes} is refused (413) unread, and one
 * the container cannot decode (bad percent-encoding, invalid UTF-8, too many fields) gets 400 with
 * that reason, not a misleading "token missing". JSON
 * requests to token endpoints need no token (they carry no ambient credential) but pass the
 * header checks. On {@linkplain AuthConfig.Builder#csrfOriginOnlyPath origin-only paths}, a
 * same-origin {@code Origin} or {@code Sec-Fetch-Site: same-origin} replaces the token. Thread-safe.
 */
final class CsrfGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final CsrfTokens tokens;
    private final List<String> allowedOrigins;
    private final List<PathPattern> originOnlyPaths;
    private final long maxFormBytes;

    CsrfGuard(CsrfTokens tokens, List<String> allowedOrigins, List<String> originOnlyPaths, long maxFormBytes) {
        this.tokens = tokens;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.originOnlyPaths = originOnlyPaths.stream().map(PathPattern::new).toList();
        this.maxFormBytes = maxFormBytes;
    }

    /** The form's CSRF field, or why the form cannot be read. */
    private record FormField(String value, Optional<Answer> refusal) {
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

    /** Why the request is refused (403 {@code csrf}), or empty when it may go on; {@code path} is the normalised path. */
    Optional<Answer> refusal(HttpServletRequest request, RequestAuth auth, String path) {
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
        boolean originOnly = originOnly(path);
        if (originOnly && sameOriginVouched(site, origin)) {
            // csrfOriginOnlyPath: the browser's own same-origin statement stands in for the token.
            return Optional.empty();
        }
        if (auth.noCsrfCookie() && originOnly) {
            return refuse(ORIGIN_ONLY_UNVOUCHED);
        }
        if (auth.noCsrfCookie()) {
            return refuse("Forbidden: CSRF token missing or invalid (no CSRF cookie). Reload the page and try again.");
        }
        String presented = request.getHeader(AuthAttributes.CSRF_HEADER);
        if (presented == null && auth.bodyKind().isForm()) {
            FormField field = formField(request);
            if (field.refusal().isPresent()) {
                return field.refusal();
            }
            presented = field.value();
        }
        if ((presented == null || presented.isEmpty()) && originOnly) {
            return refuse(ORIGIN_ONLY_UNVOUCHED);
        }
        if (presented == null || presented.isEmpty()) {
            return refuse(auth.bodyKind() == Bodies.Kind.MULTIPART
                    ? "Forbidden: CSRF token missing. A multipart form is not read for it: send the token in the "
                    + AuthAttributes.CSRF_HEADER + " header, or in the form's action URL as ?" + AuthAttributes.CSRF_FIELD + "=."
                    : "Forbidden: CSRF token missing. Reload the page and try again.");
        }
        if (!tokens.verify(presented, auth.change().csrfCookie().orElse(null), auth.csrfBinding())) {
            return refuse("Forbidden: CSRF token invalid. Reload the page and try again.");
        }
        return Optional.empty();
    }

    private FormField formField(HttpServletRequest request) {
        if (request.getContentLengthLong() > maxFormBytes) {
            // Refused unread: a slow or huge body holds no thread here.
            return new FormField(null, Optional.of(Answer.of(413, "too_large",
                    "Payload too large: a form may have at most " + maxFormBytes + " bytes.")));
        }
        try {
            return new FormField(request.getParameter(AuthAttributes.CSRF_FIELD), Optional.empty());
        } catch (RuntimeException unreadable) {
            // Jetty throws on bad encodings, too many fields or a form over its own limit; Tomcat on too many fields.
            return new FormField(null, Optional.of(Answer.of(400, "malformed_request",
                    "Bad request: the form could not be read (bad percent-encoding, invalid UTF-8, too many fields, or too large).")));
        }
    }

    private static final String ORIGIN_ONLY_UNVOUCHED = "Forbidden: this form is accepted without a CSRF token only "
            + "from a browser that says the request comes from this site (Origin or Sec-Fetch-Site header), and this "
            + "request sent neither. Use a current browser, or allow those headers through your proxy.";

    private boolean originOnly(String path) {
        for (PathPattern p : originOnlyPaths) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Called after a foreign Origin and Sec-Fetch-Site: cross-site were refused. */
    private static boolean sameOriginVouched(String site, String origin) {
        return origin != null || (site != null && site.strip().equalsIgnoreCase("same-origin"));
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
