package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.session.LoginResult;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Objects;
import java.util.Optional;

/**
 * Authentication for one request, for applications that render their own pages and handle their
 * own posts (instead of, or beside, {@link AuthEndpointsServlet}, which uses the same methods).
 * Obtain it with {@link #of} in any servlet behind {@link AuthFilter}; the filter has already
 * resolved the user and checked CSRF on unsafe methods.
 *
 * <pre>{@code
 * protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
 *     WebAuth auth = WebAuth.of(req, resp);
 *     LoginResult result = auth.portcullis().sessions().login(
 *             new Credentials(req.getParameter("email"), RawPassword.of(req.getParameter("password"))),
 *             auth.clientAddress());
 *     if (result instanceof LoginResult.Success ok) {
 *         auth.startSession(ok.user(), ok.session());
 *         if (req.getParameter("remember_me") != null) {
 *             auth.rememberMe();
 *         }
 *         resp.sendRedirect(req.getContextPath() + SafeRedirects.sanitize(req.getParameter("next"), "/"));
 *     } else {
 *         // re-render the form with auth.csrfToken() and a message
 *     }
 * }
 * }</pre>
 *
 * <p>Methods that change the session write {@code Set-Cookie} headers, so call them before the
 * response is committed. An instance is a view of the request's state: cheap, not thread-safe
 * (like the request itself), and not to be kept beyond the request. It holds no static state.
 */
public final class WebAuth {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final RequestState state;

    private WebAuth(HttpServletRequest request, HttpServletResponse response, RequestState state) {
        this.request = request;
        this.response = response;
        this.state = state;
    }

    /**
     * The authentication of this request.
     *
     * @throws IllegalStateException when the request did not pass through {@link AuthFilter}
     */
    public static WebAuth of(HttpServletRequest request, HttpServletResponse response) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        RequestState state = RequestState.of(request).orElseThrow(() -> new IllegalStateException(
                "this request did not pass AuthFilter: map AuthFilter to /* for AuthFilter.DISPATCHER_TYPES"));
        return new WebAuth(request, response, state);
    }

    /** The facade, for every use case without a cookie to set (password change, session list, …). */
    public Portcullis portcullis() {
        return state.runtime.portcullis;
    }

    /**
     * The client address for throttling and audit: the connection's peer, or the configured
     * forwarding header when the peer is a trusted proxy. Pass it to every core call that asks.
     */
    public String clientAddress() {
        return state.clientAddress;
    }

    /** The logged-in user (by session cookie, remember-me, or bearer token), or empty. */
    public Optional<CurrentUser> currentUser() {
        return state.user;
    }

    /**
     * The session token of a cookie-authenticated request, for core calls that act on "this
     * session" ({@code changePassword}, {@code requestEmailChange}, {@code logoutOtherSessions}).
     * Empty when anonymous and on bearer requests.
     */
    public Optional<SessionToken> session() {
        return state.session;
    }

    /**
     * The CSRF token to put in forms ({@value AuthAttributes#CSRF_FIELD}) or the
     * {@value AuthAttributes#CSRF_HEADER} header. It changes when {@link #startSession} or
     * {@link #endSession} rotates it; this method (and the request attribute
     * {@link AuthAttributes#CSRF_TOKEN}) always answers the current one.
     */
    public String csrfToken() {
        return state.runtime.csrfToken(state);
    }

    /**
     * Makes {@code session} (from {@code LoginResult.Success} or {@code RegistrationResult.Registered})
     * the browser's session: ends the session the request had (if another), revokes a remember-me
     * token the browser held (call {@link #rememberMe()} afterwards to issue a new one), gives the
     * container's {@code HttpSession} a new id if the app uses one (fixation), sets the session
     * cookie and rotates the CSRF token. The rest of this request sees the new user.
     *
     * @return the user, or empty (nothing changed) when the token is not a valid session — e.g.
     *         the account was disabled a moment after logging in
     */
    public Optional<CurrentUser> startSession(SessionToken session) {
        Objects.requireNonNull(session, "session");
        Optional<CurrentUser> user = state.runtime.portcullis.sessions().currentUser(session);
        user.ifPresent(u -> startSession(u, session));
        return user;
    }

    /**
     * As {@link #startSession(SessionToken)}, for a session the core has just issued together with
     * its user ({@code LoginResult.Success}, {@code RegistrationResult.Registered},
     * {@code RememberMeResult.Resumed}): nothing is looked up again.
     */
    public void startSession(CurrentUser user, SessionToken session) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(session, "session");
        AuthRuntime rt = state.runtime;
        state.session.filter(old -> !old.equals(session)).ifPresent(old -> rt.portcullis.sessions().logout(old, state.clientAddress));
        if (state.rememberMe.isPresent()) {
            rt.portcullis.rememberMe().forget(state.rememberMe.get());
            rt.cookies.clear(request, response, rt.cookies.rememberMeName(request));
            state.rememberMe = Optional.empty();
        }
        HttpSession containerSession = request.getSession(false);
        if (containerSession != null) {
            request.changeSessionId();
        }
        rt.cookies.set(request, response, rt.cookies.sessionName(request), session.value());
        state.session = Optional.of(session);
        state.user = Optional.of(user);
        rotateCsrf();
        request.setAttribute(AuthAttributes.CURRENT_USER, user);
    }

    /**
     * Keeps the current session's user logged in across browser restarts: issues a remember-me
     * token through the core and sets it as a persistent cookie ({@code portcullis_remember}, or
     * {@code __Host-portcullis_remember} on HTTPS; HttpOnly, SameSite=Lax, Path=/, Max-Age =
     * {@code SessionPolicy.rememberMeLifetime()}). When a later request has no valid session,
     * {@link AuthFilter} resumes one from it. A token the browser held before is revoked.
     *
     * @return false when there is no cookie session (anonymous or bearer request)
     * @throws IllegalStateException when the {@code Portcullis} has no {@code rememberMeStore}
     */
    public boolean rememberMe() {
        AuthRuntime rt = state.runtime;
        if (state.session.isEmpty() || state.bearer) {
            return false;
        }
        Optional<RememberMeToken> token = rt.portcullis.rememberMe().issue(state.session.get());
        if (token.isEmpty()) {
            return false;
        }
        state.rememberMe.filter(old -> !old.equals(token.get())).ifPresent(rt.portcullis.rememberMe()::forget);
        rt.cookies.setPersistent(request, response, rt.cookies.rememberMeName(request), token.get().encoded(),
                rt.portcullis.rememberMe().lifetime());
        state.rememberMe = token;
        return true;
    }

    /**
     * Logs out: ends the session in the store, revokes the remember-me series the browser holds,
     * invalidates the container's {@code HttpSession} if any, expires the session and remember-me
     * cookies and rotates the CSRF token. Harmless when nobody is logged in. On a bearer request
     * it only forgets the user for the rest of the request (revoke tokens through the token API).
     */
    public void endSession() {
        AuthRuntime rt = state.runtime;
        state.user = Optional.empty();
        request.removeAttribute(AuthAttributes.CURRENT_USER);
        if (state.bearer) {
            return;
        }
        state.session.ifPresent(t -> rt.portcullis.sessions().logout(t, state.clientAddress));
        state.rememberMe.ifPresent(rt.portcullis.rememberMe()::forget);
        HttpSession containerSession = request.getSession(false);
        if (containerSession != null) {
            try {
                containerSession.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                // nothing to end
            }
        }
        rt.cookies.clear(request, response, rt.cookies.sessionName(request));
        rt.cookies.clear(request, response, rt.cookies.rememberMeName(request));
        state.session = Optional.empty();
        state.rememberMe = Optional.empty();
        rotateCsrf();
    }

    /** A new CSRF cookie value, so every token issued before dies. */
    private void rotateCsrf() {
        AuthRuntime rt = state.runtime;
        state.csrfCookie = rt.csrf.newCookieValue();
        rt.cookies.set(request, response, rt.cookies.csrfName(request), state.csrfCookie);
        request.setAttribute(AuthAttributes.CSRF_TOKEN, csrfToken());
    }
}
