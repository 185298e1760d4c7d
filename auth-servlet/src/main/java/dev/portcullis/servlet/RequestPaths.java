package dev.portcullis.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Normalises the path of a request for rule matching, refusing anything ambiguous instead of
 * guessing how the container will read it. Containers and frameworks have disagreed about
 * {@code ;} parameters, encoded separators, dot segments and doubled slashes (Shiro and Spring
 * CVEs); refusing those forms makes the disagreement harmless.
 */
final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * The decoded path below the context path, or empty when the request must be refused (400).
     *
     * @param requestUri  {@code HttpServletRequest.getRequestURI()}: raw, still percent-encoded
     * @param contextPath {@code getContextPath()}: "" for the root context
     */
    static Optional<String> normalize(String requestUri, String contextPath) {
        if (requestUri == null || contextPath == null) {
            return Optional.empty();
        }
        String raw = requestUri;
        if (!raw.startsWith("/")) {
            return Optional.empty(); // absolute-form URIs are resolved by the container; their path is what we want
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ';' || c == '\\' || c <= 0x20 || c >= 0x7f) {
                return Optional.empty();
            }
        }
        String path = raw;
        if (raw.indexOf('%') >= 0) { // most paths have nothing to decode, and the checks above covered them
            String lower = raw.toLowerCase(java.util.Locale.ROOT);
            // Encoded separators, path parameters, percent signs and NUL stay refused after decoding.
            if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%3b") || lower.contains("%25")
                    || lower.contains("%00")) {
                return Optional.empty();
            }
            Optional<String> decoded = SafeRedirects.percentDecode(raw);
            if (decoded.isEmpty()) {
                return Optional.empty();
            }
            path = decoded.get();
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (Character.isISOControl(c) || c == '\\' || c == ';') {
                    return Optional.empty();
                }
            }
        }
        if (path.contains("//") || hasDotSegment(path)) {
            return Optional.empty();
        }
        Optional<String> decodedContext = SafeRedirects.percentDecode(contextPath);
        if (decodedContext.isEmpty()) {
            return Optional.empty();
        }
        String ctx = decodedContext.get();
        if (!path.startsWith(ctx) || (path.length() > ctx.length() && path.charAt(ctx.length()) != '/')) {
            return Optional.empty();
        }
        String inContext = path.substring(ctx.length());
        return Optional.of(inContext.isEmpty() ? "/" : inContext);
    }

    /** Whether a segment between slashes (or after the last one) is {@code .} or {@code ..}. */
    private static boolean hasDotSegment(String path) {
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int len = end - start;
            if ((len == 1 && path.charAt(start) == '.') || (len == 2 && path.charAt(start) == '.'
                    && path.charAt(start + 1) == '.')) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** A configured page ({@code /login?expired}) without its query or fragment: what to match or dispatch to. */
    static String pathOnly(String page) {
        int end = page.length();
        for (int i = 0; i < page.length(); i++) {
            if (page.charAt(i) == '?' || page.charAt(i) == '#') {
                end = i;
                break;
            }
        }
        return page.substring(0, end);
    }

    /** Whether a dispatch target (already decoded by the container) is free of the forms {@link #normalize} refuses. */
    static boolean unambiguous(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains(";") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return path.chars().noneMatch(Character::isISOControl);
    }

    /** The path a servlet-level dispatch targets: servlet path plus path info. */
    static String join(String servletPath, String pathInfo) {
        String s = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return s.isEmpty() ? "/" : s;
    }

    /** The path a dispatch goes to; empty for a named dispatch, which carries no path. */
    static Optional<String> dispatchTarget(HttpServletRequest request) {
        if (request.getDispatcherType() == DispatcherType.INCLUDE) {
            Object servletPath = request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
            Object pathInfo = request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
            if (servletPath == null && pathInfo == null) {
                return Optional.empty();
            }
            return Optional.of(join((String) servletPath, (String) pathInfo));
        }
        return containerPath(request);
    }

    /** The path as the container maps it (servlet path plus path info); empty when the container cannot say. */
    static Optional<String> containerPath(HttpServletRequest request) {
        try {
            return Optional.of(join(request.getServletPath(), request.getPathInfo()));
        } catch (RuntimeException ambiguous) {
            return Optional.empty(); // some containers refuse to decode ambiguous paths
        }
    }
}
