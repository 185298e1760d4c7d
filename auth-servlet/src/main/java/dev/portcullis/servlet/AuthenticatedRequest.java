package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import dev.portcullis.model.RawPassword;
import dev.portcullis.session.LoginResult;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * The request the application sees behind {@link AuthFilter}: the container's security methods
 * answer from Portcullis, so an unmodified application works as written. {@code getRemoteUser},
 * {@code getUserPrincipal}, {@code isUserInRole} ({@code "**"}: any logged-in user, as in the
 * Servlet specification) and {@code getAuthType} report the Portcullis user; {@code login(user,
 * password)} signs in through Portcullis (throttling, hashing, device cookie included);
 * {@code logout()} and {@code getSession().invalidate()} sign out of Portcullis.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final RequestAuth auth;
    private final String path;
    private final HttpServletResponse response;
    private PortcullisHttpSession session;

    AuthenticatedRequest(HttpServletRequest request, RequestAuth auth, String path, HttpServletResponse response) {
        super(request);
        this.auth = auth;
        this.path = path;
        this.response = response;
    }

    @Override
    public HttpSession getSession(boolean create) {
        HttpSession current = super.getSession(create);
        if (current == null) {
            return null;
        }
        if (session == null || !session.getId().equals(current.getId()) || session.unwrap() != current) {
            session = new PortcullisHttpSession(current, () -> WebAuth.signedOut(auth, this, response, false));
        }
        return session;
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
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

    /**
     * Signs in through Portcullis, as the login endpoint does: the same throttling, the browser's
     * device cookie, a new session cookie, CSRF rotated.
     *
     * @throws ServletException when someone is already signed in on this request, on a bearer
     *                          request, or when the sign-in fails (the message is the one a login
     *                          form shows, e.g. wrong email or password, or retry later)
     */
    @Override
    public void login(String username, String password) throws ServletException {
        if (user().isPresent()) {
            throw new ServletException("already signed in");
        }
        if (auth.bearer() || auth.tokenEndpoint()) {
            throw new ServletException("request.login is for browser requests, not bearer or token-endpoint calls");
        }
        WebAuth web = WebAuth.of(this, response);
        LoginResult result = auth.runtime().core().login(username == null ? "" : username,
                RawPassword.of(password == null ? "" : password), auth.clientAddress(), web.deviceToken());
        if (result instanceof LoginResult.Success s) {
            web.rememberDevice(s.device());
            web.startSession(s.user(), s.session());
            return;
        }
        throw new ServletException(ResultResponses.login(result).message());
    }

    /**
     * Ends the Portcullis session in the store, revokes the browser's remember-me series, forgets
     * the user for the rest of this request and (unless the response is committed) expires the
     * cookies. The container's {@code HttpSession} is left alone, as the specification says.
     */
    @Override
    public void logout() {
        WebAuth.signedOut(auth, this, response, false);
    }
}
