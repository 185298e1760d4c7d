package dev.portcullis.servlet;

import java.util.Locale;
import java.util.Objects;

/**
 * A context-relative path pattern: {@code /*} (everything), {@code /admin/*} ({@code /admin} and
 * everything below it) or an exact path such as {@code /account}. A trailing slash never matters:
 * {@code /admin} and {@code /admin/} are the same path. Immutable.
 */
record PathPattern(String pattern) {

    PathPattern {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/") || pattern.indexOf('*') != pattern.lastIndexOf('*')
                || (pattern.contains("*") && !pattern.endsWith("/*"))
                || pattern.contains("//") || pattern.contains(";") || pattern.contains("\\")
                || hasControlOrSpace(pattern)) {
            throw new IllegalArgumentException("a path pattern is /*, /prefix/* or /exact/path, was: " + pattern);
        }
    }

    // A loop, not chars().anyMatch: the filter builds patterns on every request.
    private static boolean hasControlOrSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Exact comparison (used to exempt paths: exempting less is the safe side). */
    boolean matches(String path) {
        return matches(path, false);
    }

    /** Comparison ignoring ASCII case (used to protect paths: protecting more is the safe side). */
    boolean matchesIgnoringCase(String path) {
        return matches(path, true);
    }

    private boolean matches(String path, boolean ignoreCase) {
        return matches(pattern, path, ignoreCase);
    }

    /**
     * The matching rule for an already validated pattern, without building a {@code PathPattern}
     * (the filter runs it several times per request). Allocates nothing for lower-case ASCII paths.
     */
    static boolean matches(String pattern, String path, boolean ignoreCase) {
        String p = ignoreCase ? path.toLowerCase(Locale.ROOT) : path;
        String pat = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        int pLen = trimmedLength(p);
        if (pat.equals("/*")) {
            return true;
        }
        if (pat.endsWith("/*")) {
            int prefix = pat.length() - 2; // p equals the prefix, or starts with prefix + "/"
            return pLen >= prefix && p.regionMatches(0, pat, 0, prefix)
                    && (pLen == prefix || p.charAt(prefix) == '/');
        }
        int patLen = trimmedLength(pat);
        return pLen == patLen && p.regionMatches(0, pat, 0, patLen);
    }

    /** The length without one trailing slash (a lone "/" keeps it). */
    private static int trimmedLength(String p) {
        return p.length() > 1 && p.charAt(p.length() - 1) == '/' ? p.length() - 1 : p.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
