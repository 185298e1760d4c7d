package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.policy.SessionPolicy;
import dev.portcullis.session.LoginResult;

import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
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
 *             auth.clientAddress(), auth.deviceToken());
 *     if (result instanceof LoginResult.Success ok) {
 *         auth.rememberDevice(ok.device());
 *         auth.startSession(ok.user(), ok.session());
 *         if (req.getParameter("remember_me") != null) {
 *             auth.rememberMe();
 *         }
 *         resp.sendRedirect(req.getContextPath() + SafeRedirects.sanitize(req.getParameter("next"), "/"));
 *     } else {
 *         Answer answer = ResultResponses.login(result);
 *         answer.applyHeaders(resp); // 401, 429 or 503 with Retry-After, …
 *         // re-render the form with auth.csrfToken() and answer.message(), then:
 *         auth.holdIfBusy(answer);   // busy: the connection waits out Retry-After, no thread does
 *     }
 * }
 * }</pre>
 *
 * <p>Methods that change the session write {@code Set-Cookie} headers, so call them before the
 * response is committed. An instance is a view of the request's state: cheap, not thread-safe
 * (like the request itself), and not to be kept beyond the request. It holds no static state.
 */
public final class WebAuth {

    /** A handle as the core makes them (base64url of 256 random bits); anything else is never sent to it. */
    private static final java.util.regex.Pattern PENDING_HANDLE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final RequestAuth auth;
    private final SessionChange change;

    private WebAuth(HttpServletRequest request, HttpServletResponse response, RequestAuth auth) {
        this.request = request;
        this.response = response;
        this.auth = auth;
        this.change = auth.change();
    }

    /**
     * The authentication of this request.
     *
     * @throws IllegalStateException when the request did not pass through {@link AuthFilter}
     */
    public static WebAuth of(HttpServletRequest request, HttpServletResponse response) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        RequestAuth auth = RequestAuth.of(request).orElseThrow(() -> new IllegalStateException(
                "this request did not pass AuthFilter: map AuthFilter to /* for AuthFilter.DISPATCHER_TYPES"));
        return new WebAuth(request, response, auth);
    }

    /** The facade, for every use case without a cookie to set (password change, session list, …). */
    public Portcullis portcullis() {
        return core().portcullis();
    }

    /**
     * The client address for throttling and audit: the connection's peer, or the configured
     * forwarding header when the peer is a trusted proxy. Pass it to every core call that asks.
     */
    public String clientAddress() {
        return auth.clientAddress();
    }

    /** The logged-in user (by session cookie, remember-me, or bearer token), or empty. */
    public Optional<CurrentUser> currentUser() {
        return change.user();
    }

    /**
     * The session token of a cookie-authenticated request, for core calls that act on "this
     * session" ({@code changePassword}, {@code requestEmailChange}, {@code logoutOtherSessions}).
     * Empty when anonymous and on bearer requests.
     */
    public Optional<SessionToken> session() {
        return change.session();
    }

    /**
     * The CSRF token to put in forms ({@value AuthAttributes#CSRF_FIELD}) or the
     * {@value AuthAttributes#CSRF_HEADER} header. It changes when {@code startSession} or
     * {@link #endSession} rotates it; this method (and the request attribute
     * {@link AuthAttributes#CSRF_TOKEN}) always answers the current one.
     */
    public String csrfToken() {
        return csrfToken(auth);
    }

    /**
     * Makes {@code session} (from {@code LoginResult.Success} or {@code RegistrationResult.Registered})
     * the browser's session: ends the session the request had (if another), revokes a remember-me
     * token the browser held (call {@link #rememberMe()} afterwards to issue a new one), gives the
     * container's {@code HttpSession} a new id if the app uses one (fixation), sets the session
     * cookie and rotates the CSRF token. The rest of this request sees the new user.
     *
     * <p>Prefer {@link #startSession(CurrentUser, SessionToken)} with the user the result carries;
     * this one looks the session up first (for a token from elsewhere).
     *
     * <p>A bearer request ({@code Authorization: Bearer}) never gets a cookie: there the session is
     * ended in the store at once, so it cannot linger undelivered, and nothing else changes.
     *
     * @return the user, or empty (nothing changed) when the token is not a valid session — e.g.
     *         the account was disabled a moment after logging in — or on a bearer request
     */
    public Optional<CurrentUser> startSession(SessionToken session) {
        Objects.requireNonNull(session, "session");
        if (auth.bearer()) {
            core().logout(session, auth.clientAddress());
            return Optional.empty();
        }
        return core().currentUser(session).map(user -> startSession(user, session));
    }

    /**
     * As {@link #startSession(SessionToken)}, for a session the core has just issued together with
     * its user ({@code LoginResult.Success}, {@code RegistrationResult.Registered},
     * {@code ChangePasswordResult.Changed}): nothing is looked up again. On a bearer request the
     * session is ended in the store at once and nothing else changes (no cookie, no user).
     *
     * @return {@code user}
     */
    public CurrentUser startSession(CurrentUser user, SessionToken session) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(session, "session");
        CoreCalls core = core();
        if (auth.bearer()) {
            core.logout(session, auth.clientAddress()); // a bearer request never receives a session cookie
            return user;
        }
        Cookies.Jar jar = auth.cookies();
        change.session().filter(old -> !old.equals(session)).ifPresent(old -> core.logout(old, auth.clientAddress()));
        if (change.rememberMe().isPresent()) {
            core.forget(change.rememberMe().get());
            jar.clear(response, jar.rememberMeName());
            change.setRememberMe(Optional.empty());
        }
        HttpSession containerSession = request.getSession(false);
        if (containerSession != null) {
            request.changeSessionId();
        }
        jar.set(response, jar.sessionName(), session.value());
        change.setSession(Optional.of(user), Optional.of(session));
        rotateCsrf();
        request.setAttribute(AuthAttributes.CURRENT_USER, user);
        return user;
    }

    /**
     * Continues a sign-in whose first factor was proved elsewhere than the password form — an
     * OpenID Connect provider's ({@code FederatedSignInResult.SecondFactorRequired}) — at the same
     * code step as a password sign-in: keeps {@code handle} in the pending sign-in cookie
     * ({@code portcullis_pending}, HttpOnly, 5 minutes, never in a URL) and answers the path to send
     * the browser to (without the context path): the configured login page with
     * {@code ?second-factor}, and {@code next} when the safe-redirect rules accept it. The page's
     * code form posts to {@code POST /auth/login/mfa} ({@link AuthEndpointsServlet}), which finishes
     * the sign-in and goes to {@code next}.
     *
     * @param next where to land once signed in; kept only if {@link SafeRedirects#isSafe} accepts it
     * @throws IllegalStateException on a bearer request, which has no cookies to carry the handle
     */
    public String continueAtCodeStep(String handle, Optional<String> next) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(next, "next");
        if (auth.bearer()) {
            throw new IllegalStateException("a bearer request cannot continue a sign-in at the code step");
        }
        holdPendingSignIn(handle);
        return CodeStep.page(auth.runtime().config(), next.orElse(null));
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
        if (change.session().isEmpty() || auth.bearer()) {
            return false;
        }
        CoreCalls core = core();
        Optional<RememberMeToken> token = core.rememberMe(change.session().get());
        if (token.isEmpty()) {
            return false;
        }
        change.rememberMe().filter(old -> !old.equals(token.get())).ifPresent(core::forget);
        Cookies.Jar jar = auth.cookies();
        jar.setPersistent(response, jar.rememberMeName(), token.get().encoded(), core.rememberMeLifetime());
        change.setRememberMe(token);
        return true;
    }

    /**
     * The device token this browser presented (cookie {@code portcullis_device}, or
     * {@code __Host-portcullis_device} on HTTPS), to pass to
     * {@code Sessions.login(credentials, clientAddress, device)}: a browser its user signed in with
     * before then keeps its own throttling budget, so wrong guesses from elsewhere cannot lock it
     * out. Empty when the browser has none (or garbage), and on bearer and token-endpoint requests.
     */
    public Optional<DeviceToken> deviceToken() {
        if (auth.bearer() || auth.tokenEndpoint()) {
            return Optional.empty();
        }
        return Cookies.read(request, auth.cookies().deviceName()).flatMap(DeviceToken::parse);
    }

    /**
     * Sets the device cookie to {@code token} (from {@code LoginResult.Success.device()}):
     * HttpOnly, SameSite=Lax, Path=/, {@code Max-Age} = {@code Sessions.deviceTokenLifetime()},
     * {@code Secure} and {@code __Host-} on HTTPS. It marks the browser for throttling only (it
     * signs nobody in) and outlives logout.
     *
     * @return false on bearer and token-endpoint requests, which carry no cookies
     */
    public boolean rememberDevice(DeviceToken token) {
        Objects.requireNonNull(token, "token");
        if (auth.bearer() || auth.tokenEndpoint()) {
            return false;
        }
        Cookies.Jar jar = auth.cookies();
        jar.setPersistent(response, jar.deviceName(), token.value(), core().deviceTokenLifetime());
        return true;
    }

    /**
     * Keeps a pending sign-in handle ({@code LoginResult.SecondFactorRequired.handle()} or
     * {@code LoginResult.EnrolmentRequired.handle()}) in the browser until the code step: cookie
     * {@code portcullis_pending} ({@code __Host-portcullis_pending} on HTTPS), HttpOnly,
     * SameSite=Lax, Path=/, {@code Max-Age} 5 minutes (the handle's own lifetime). Never put the
     * handle in a URL or a page, where logs, history and {@code Referer} keep it. Read it back with
     * {@link #pendingSignIn()}; the handle alone signs nobody in (it still needs the code).
     *
     * @return false on bearer and token-endpoint requests, which carry no cookies
     */
    public boolean holdPendingSignIn(String handle) {
        Objects.requireNonNull(handle, "handle");
        if (!PENDING_HANDLE.matcher(handle).matches()) {
            throw new IllegalArgumentException("not a pending sign-in handle from the core");
        }
        if (auth.bearer() || auth.tokenEndpoint()) {
            return false;
        }
        Cookies.Jar jar = auth.cookies();
        jar.setPersistent(response, jar.pendingName(), handle, Cookies.PENDING_LIFETIME);
        return true;
    }

    /**
     * The pending sign-in handle this browser holds ({@link #holdPendingSignIn}), for
     * {@code Sessions.completeSignIn} or {@code SecondFactors.confirmEnrolment(handle, ..)}. Empty
     * when there is none, or garbage, and on bearer and token-endpoint requests.
     */
    public Optional<String> pendingSignIn() {
        if (auth.bearer() || auth.tokenEndpoint()) {
            return Optional.empty();
        }
        return Cookies.read(request, auth.cookies().pendingName()).filter(h -> PENDING_HANDLE.matcher(h).matches());
    }

    /** Expires the pending sign-in cookie: after the sign-in completed, or when the core refused the handle. */
    public void clearPendingSignIn() {
        if (auth.bearer() || auth.tokenEndpoint()) {
            return;
        }
        Cookies.Jar jar = auth.cookies();
        jar.clear(response, jar.pendingName());
    }

    /**
     * Holds the connection of a sign-in answered "busy" — {@code answer} is the
     * {@link ResultResponses} answer with code {@code busy} (503, {@code Retry-After}) of a login,
     * registration, password change, reset or step-up — for the retry delay, as
     * {@link AuthEndpointsServlet} does: what the response holds is sent at once, then the request
     * is put in async mode and completed after the delay, so a flooding client that ignores
     * {@code Retry-After} cannot send its next request on that connection before then, and no
     * container thread waits meanwhile. Call it last, after the page or JSON is written; nothing
     * can be added to the response afterwards.
     *
     * <pre>{@code
     * Answer answer = ResultResponses.login(result);
     * answer.applyHeaders(response);   // 503 + Retry-After
     * renderForm(answer.message());
     * auth.holdIfBusy(answer);
     * }</pre>
     *
     * <p>Needs async support on the whole chain (the filter and the servlet registered with
     * {@code asyncSupported}); without it, or for any other answer, this does nothing and the
     * response goes out at once as written. The timer is the filter's one daemon thread (started
     * on the first hold, ended 30 s after the last, and with every held request completed when
     * the filter is destroyed); a hold costs no thread.
     *
     * @return true when the request is now held (the response was flushed, so it is committed)
     * @throws IOException when flushing the response fails (the client went away)
     */
    public boolean holdIfBusy(Answer answer) throws IOException {
        Objects.requireNonNull(answer, "answer");
        if (answer.status() != HttpServletResponse.SC_SERVICE_UNAVAILABLE || !ResultResponses.BUSY_CODE.equals(answer.code())
                || answer.retryAfter().isEmpty()) {
            return false;
        }
        return auth.runtime().busyHold().hold(request, response, answer.retryAfter().get());
    }

    /**
     * Logs out: ends the session in the store, revokes the remember-me series the browser holds,
     * invalidates the container's {@code HttpSession} if any, expires the session and remember-me
     * cookies and rotates the CSRF token. Harmless when nobody is logged in. On a bearer request
     * it only forgets the user for the rest of the request (revoke tokens through the token API).
     */
    public void endSession() {
        HttpSession containerSession = request.getSession(false);
        if (containerSession instanceof PortcullisHttpSession wrapped) {
            containerSession = wrapped.unwrap();
        }
        if (containerSession != null && !auth.bearer()) {
            try {
                containerSession.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                // nothing to end
            }
        }
        signedOut(auth, request, response, true);
    }

    /**
     * Signs out without touching the container's session: ends the session and remember-me series
     * in the store, forgets the user for the rest of the request, and (on a browser request whose
     * response is not yet committed) expires the session and remember-me cookies and rotates CSRF.
     * Used by {@code request.logout()} and {@code getSession().invalidate()} behind the filter.
     *
     * @param always expire and rotate even when nobody was signed in ({@link #endSession}); otherwise
     *               an application invalidating an anonymous session does not rotate CSRF under
     *               the forms open in other tabs
     */
    static void signedOut(RequestAuth auth, HttpServletRequest request, HttpServletResponse response, boolean always) {
        boolean hadSession = auth.change().session().isPresent() || auth.change().rememberMe().isPresent();
        endInStore(auth, request);
        if (auth.bearer() || auth.tokenEndpoint() || response.isCommitted() || !(hadSession || always)) {
            return;
        }
        Cookies.Jar jar = auth.cookies();
        jar.clear(response, jar.sessionName());
        jar.clear(response, jar.rememberMeName());
        String value = auth.runtime().csrf().newCookieValue();
        auth.change().setCsrfCookie(value);
        jar.set(response, jar.csrfName(), value);
        request.setAttribute(AuthAttributes.CSRF_TOKEN, csrfToken(auth));
    }

    /**
     * Ends the session and remember-me series in the store and forgets the user for the rest of
     * the request, without touching cookies ({@code request.logout()}; {@link #endSession} also
     * expires the cookies).
     */
    static void endInStore(RequestAuth auth, ServletRequest request) {
        SessionChange change = auth.change();
        if (!auth.bearer()) {
            CoreCalls core = auth.runtime().core();
            change.session().ifPresent(t -> core.logout(t, auth.clientAddress()));
            change.rememberMe().ifPresent(core::forget);
            change.setRememberMe(Optional.empty());
        }
        change.setSession(Optional.empty(), Optional.empty());
        request.removeAttribute(AuthAttributes.CURRENT_USER);
    }

    /**
     * The CSRF token for the request as it is now. Bearer and token-endpoint requests have no CSRF
     * cookie: a random value is drawn when a token is first asked for, never written nor checked.
     */
    static String csrfToken(RequestAuth auth) {
        SessionChange change = auth.change();
        CsrfTokens csrf = auth.runtime().csrf();
        if (change.csrfCookie().isEmpty()) {
            change.setCsrfCookie(csrf.newCookieValue());
        }
        return csrf.tokenFor(change.csrfCookie().get(), auth.csrfBinding());
    }

    private CoreCalls core() {
        return auth.runtime().core();
    }

    /** A new CSRF cookie value, so every token issued before dies. */
    private void rotateCsrf() {
        String value = auth.runtime().csrf().newCookieValue();
        change.setCsrfCookie(value);
        auth.cookies().set(response, auth.cookies().csrfName(), value);
        request.setAttribute(AuthAttributes.CSRF_TOKEN, csrfToken());
    }
}
