package dev.portcullis.account;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where links in mails point: a configured origin (never the request's Host header, which an
 * attacker controls) plus a path per page. The token is appended as {@code ?token=}.
 *
 * @param baseUrl absolute http(s) origin, e.g. {@code https://app.example.com}
 */
public record AccountLinks(URI baseUrl, String verifyEmailPath, String resetPasswordPath,
                           String confirmEmailChangePath, String loginPath, String forgotPasswordPath) {

    public AccountLinks {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!baseUrl.isAbsolute() || !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))
                || baseUrl.getHost() == null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL without query, was " + baseUrl);
        }
        for (String path : new String[] {verifyEmailPath, resetPasswordPath, confirmEmailChangePath, loginPath, forgotPasswordPath}) {
            if (path == null || !path.startsWith("/") || path.startsWith("//")) {
                throw new IllegalArgumentException("link paths must start with a single '/', was " + path);
            }
        }
    }

    /** Paths {@code /verify-email}, {@code /reset-password}, {@code /confirm-email}, {@code /login}, {@code /forgot-password}. */
    public static AccountLinks of(URI baseUrl) {
        return new AccountLinks(baseUrl, "/verify-email", "/reset-password", "/confirm-email", "/login", "/forgot-password");
    }

    URI withToken(String path, String token) {
        return URI.create(page(path) + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    URI page(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
