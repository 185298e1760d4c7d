package dev.portcullis.servlet;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks on the texts {@link AuthConfig}'s builder and settings records are given: paths,
 * cookie and header names, origins. Each returns its argument (an origin lower-cased) or throws
 * {@link IllegalArgumentException} naming the setting, so a setter can fail at once. Knows nothing
 * of {@code AuthConfig}, which keeps the adapter's classes free of cycles.
 */
final class SettingChecks {

    private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern COOKIE_PATH = Pattern.compile("/|(/[A-Za-z0-9._~!$&'()*+,=:@%-]+)+");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9a-fA-F:.]+](:[0-9]{1,5})?");

    private SettingChecks() {
    }

    static String pattern(String pattern) {
        new PathPattern(pattern); // validates
        return pattern;
    }

    static String page(String path, String name) {
        Objects.requireNonNull(path, name);
        if (!SafeRedirects.isSafe(path)) {
            throw new IllegalArgumentException(name + " must be a context-relative path like /login, was: " + path);
        }
        return path;
    }

    static String cookiePath(String path) {
        String what = "cookiePath";
        Objects.requireNonNull(path, what);
        if (!COOKIE_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException(what + " must be / or a path like /app, was: " + path);
        }
        return path;
    }

    static String cookieName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!COOKIE_NAME.matcher(name).matches() || name.startsWith("__")) {
            throw new IllegalArgumentException(what + " must be 1-64 of [A-Za-z0-9_.-] not starting with __, was: " + name);
        }
        return name;
    }

    static String headerName(String name, String what) {
        if (!HEADER_NAME.matcher(Objects.requireNonNull(name, what)).matches()) {
            throw new IllegalArgumentException("not a header name: " + name);
        }
        return name;
    }

    /** Lower case, as {@code Origin} headers are compared. */
    static String origin(String origin) {
        String o = Objects.requireNonNull(origin, "origin").toLowerCase(Locale.ROOT);
        if (!ORIGIN.matcher(o).matches()) {
            throw new IllegalArgumentException("an origin is scheme://host[:port], was: " + origin);
        }
        return o;
    }
}
