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
        String p = trimSlash(ignoreCase ? path.toLowerCase(Locale.ROOT) : path);
        String pat = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        if (pat.equals("/*")) {
            return true;
        }
        if (pat.endsWith("/*")) {
            String prefix = pat.substring(0, pat.length() - 2);
            return p.equals(prefix) || p.startsWith(prefix + "/");
        }
        return p.equals(trimSlash(pat));
    }

    private static String trimSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
