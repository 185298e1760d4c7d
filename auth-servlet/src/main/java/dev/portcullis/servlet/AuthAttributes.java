package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * Names of the request attributes {@link AuthFilter} and {@link AuthEndpointsServlet} set for the
 * application's pages and templates, with typed accessors. Attributes live on the server; a client
 * cannot set them.
 *
 * <ul>
 *   <li>{@link #CURRENT_USER}: the {@link CurrentUser}, present only when logged in;</li>
 *   <li>{@link #CSRF_TOKEN}: the token every unsafe form must send as {@link #CSRF_FIELD} (or in
 *       the {@link #CSRF_HEADER} header);</li>
 *   <li>{@link #FORM_FAILURE}: a {@link FormFailure}, present when a failed login or registration
 *       is forwarded to the application's page for re-rendering.</li>
 * </ul>
 */
public final class AuthAttributes {

    /** Attribute holding the {@link CurrentUser} of a logged-in request. */
    public static final String CURRENT_USER = "portcullis.currentUser";
    /** Attribute holding the CSRF token ({@code String}) for forms rendered in this response. */
    public static final String CSRF_TOKEN = "portcullis.csrfToken";
    /** Attribute holding the {@link FormFailure} of a failed form post. */
    public static final String FORM_FAILURE = "portcullis.formFailure";
    /** Hidden form field that carries the CSRF token. */
    public static final String CSRF_FIELD = "csrf_token";
    /** Request header that carries the CSRF token (for scripts). */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private AuthAttributes() {
    }

    /** The logged-in user, or empty for an anonymous request (or one not behind {@link AuthFilter}). */
    public static Optional<CurrentUser> currentUser(ServletRequest request) {
        return request.getAttribute(CURRENT_USER) instanceof CurrentUser u ? Optional.of(u) : Optional.empty();
    }

    /** The CSRF token to embed in forms; empty only when the request did not pass {@link AuthFilter}. */
    public static Optional<String> csrfToken(ServletRequest request) {
        return request.getAttribute(CSRF_TOKEN) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** Why the form being re-rendered failed, or empty on a plain page view. */
    public static Optional<FormFailure> formFailure(ServletRequest request) {
        return request.getAttribute(FORM_FAILURE) instanceof FormFailure f ? Optional.of(f) : Optional.empty();
    }
}
