package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * The request the application sees behind {@link AuthFilter}: the container's security methods
 * answer from Portcullis. {@code "**"} in {@code isUserInRole} means "any logged-in user", as in
 * the Servlet specification.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final RequestAuth auth;
    private final String path;

    AuthenticatedRequest(HttpServletRequest request, RequestAuth auth, String path) {
        super(request);
        this.auth = auth;
        this.path = path;
    }

    /**
     * {@link AuthAttributes#CSRF_TOKEN} is computed on first read (an HMAC per request that renders
     * no form is wasted work) and then stored on the request like any other attribute.
     */
    @Override
    public Object getAttribute(String name) {
        Object value = super.getAttribute(name);
        if (value == null && AuthAttributes.CSRF_TOKEN.equals(name)) {
            value = WebAuth.csrfToken(auth);
            super.setAttribute(name, value);
        }
        return value;
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        List<String> names = Collections.list(super.getAttributeNames());
        if (!names.contains(AuthAttributes.CSRF_TOKEN)) {
            names.add(AuthAttributes.CSRF_TOKEN);
        }
        return Collections.enumeration(names);
    }

    private Optional<CurrentUser> user() {
        return auth.user();
    }

    @Override
    public Principal getUserPrincipal() {
        return user().map(PortcullisPrincipal::new).orElse(null);
    }

    @Override
    public String getRemoteUser() {
        return user().map(u -> u.email().display()).orElse(null);
    }

    @Override
    public boolean isUserInRole(String role) {
        return role != null && user().map(u -> role.equals("**") || u.hasRole(role)).orElse(false);
    }

    @Override
    public String getAuthType() {
        return user().isEmpty() ? null : auth.bearer() ? "Bearer" : HttpServletRequest.FORM_AUTH;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    /** True when logged in; otherwise sends the same challenge as a protected path and returns false. */
    @Override
    public boolean authenticate(HttpServletResponse response) throws IOException {
        if (user().isPresent()) {
            return true;
        }
        Responses.challenge(this, response, auth.runtime().config().pages().login(), path, auth.wantsJson(), auth.bearer());
        return false;
    }

    @Override
    public void login(String username, String password) throws ServletException {
        throw new ServletException("request.login(user, password) is not supported behind AuthFilter: "
                + "post the login form to AuthEndpointsServlet (…/login) instead");
    }

    /**
     * Ends the Portcullis session in the store, revokes the browser's remember-me series, and
     * forgets the user for the rest of this request. The now-dead cookies are removed by
     * {@link AuthFilter} on the next request ({@link WebAuth#endSession()} removes them at once).
     */
    @Override
    public void logout() {
        WebAuth.endInStore(auth, this);
    }
}
