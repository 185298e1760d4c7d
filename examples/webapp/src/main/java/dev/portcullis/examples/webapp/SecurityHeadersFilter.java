package dev.portcullis.examples.webapp;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Security headers on every response: a CSP that allows no inline script and no framing,
 * nosniff, and a Referer only to this origin (mailed links carry tokens in the query; they must
 * not leak to third parties through the Referer header). Not {@code no-referrer}: under that
 * policy browsers send {@code Origin: null} on same-origin form posts, which the CSRF defence
 * rightly refuses.
 */
final class SecurityHeadersFilter extends HttpFilter {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final String csp;

    SecurityHeadersFilter() {
        this(List.of());
    }

    /**
     * @param formTargets origins besides this one that a form post may end at: a POST that starts a
     *                    trip to a sign-in provider (linking from the settings page) is answered with
     *                    a redirect there, and browsers hold redirects of a form post to
     *                    {@code form-action} too
     */
    SecurityHeadersFilter(List<String> formTargets) {
        this.csp = formTargets.isEmpty() ? CSP : CSP.replace("form-action 'self'",
                "form-action 'self' " + String.join(" ", formTargets));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", csp);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        chain.doFilter(request, response);
    }
}
