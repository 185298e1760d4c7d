package dev.portcullis.servlet;

import dev.portcullis.CurrentUser;
import dev.portcullis.Portcullis;
import dev.portcullis.RememberMeResult;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.spi.PortcullisException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication for any Jakarta Servlet 6 application. Map it to {@code /*} for the
 * {@code REQUEST}, {@code FORWARD}, {@code INCLUDE}, {@code ERROR} and {@code ASYNC} dispatcher
 * types, in front of every other filter that depends on the user. For each request it:
 *
 * <ol>
 *   <li>normalises the path and refuses (400) ambiguous forms: {@code ;} parameters (so no
 *       {@code ;jsessionid=}), encoded {@code /}, {@code \}, {@code ;} or {@code %}, dot segments,
 *       doubled slashes, control characters, malformed UTF-8;</li>
 *   <li>resolves the user from the session cookie (or, when a {@link BearerAuthenticator} is
 *       configured, from {@code Authorization: Bearer}) and removes a dead session cookie; without
 *       a valid session, resumes one from a remember-me cookie ({@link WebAuth#rememberMe()}),
 *       rotating it, and expires a remember-me cookie the core refuses (never on bearer
 *       requests, which read and write no cookies);</li>
 *   <li>on unsafe methods (anything but GET, HEAD, OPTIONS, TRACE, in any letter case) without a
 *       bearer token, refuses (403) a foreign {@code Origin}, {@code Sec-Fetch-Site: cross-site},
 *       and a missing or wrong CSRF token (no token is needed for JSON requests to
 *       {@linkplain AuthConfig.Builder#tokenEndpointPath token endpoints});</li>
 *   <li>applies the {@link ProtectionRule}s to the normalised path and to the container's own
 *       servlet path (both must pass): anonymous browsers are redirected (302) to the login page
 *       with {@code next}, API clients get 401 JSON with {@code WWW-Authenticate}, users lacking a
 *       role get 403; protected responses get {@code Cache-Control: no-store};</li>
 *   <li>passes on a request whose {@code getUserPrincipal()}, {@code getRemoteUser()},
 *       {@code isUserInRole()} and {@code getAuthType()} answer from Portcullis, with the
 *       attributes of {@link AuthAttributes}.</li>
 * </ol>
 *
 * <p>Forwards, includes, error and async dispatches are checked against the rules with their
 * target path, so a public servlet cannot hand a request to a protected one.
 *
 * <p>Two ways to create it: {@link #AuthFilter(Portcullis, AuthConfig)} for programmatic
 * registration, or the no-argument constructor for {@code web.xml}, where the filter takes the
 * {@link Portcullis} from the {@code ServletContext} attribute {@value #PORTCULLIS_ATTRIBUTE}
 * (or the name in init-param {@code portcullis-attribute}) — set it from a
 * {@code ServletContextListener}, which the container runs before filters start — and its settings
 * from init-params ({@link AuthConfig#fromInitParameters}). Unknown init-params fail the start.
 *
 * <p>Thread-safe: one instance serves all requests; it keeps no per-request state in fields.
 */
public final class AuthFilter implements Filter {

    /** Default {@code ServletContext} attribute holding the {@link Portcullis} for {@code web.xml} setups. */
    public static final String PORTCULLIS_ATTRIBUTE = "dev.portcullis.Portcullis";
    /** The dispatcher types to map the filter for. */
    public static final Set<DispatcherType> DISPATCHER_TYPES = Set.of(DispatcherType.REQUEST, DispatcherType.FORWARD,
            DispatcherType.INCLUDE, DispatcherType.ERROR, DispatcherType.ASYNC);

    private static final System.Logger LOG = System.getLogger(AuthFilter.class.getName());
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String DENIED = AuthFilter.class.getName() + ".denied";
    private static final String FRESH_CSRF_COOKIE = AuthFilter.class.getName() + ".freshCsrfCookie";

    private volatile AuthRuntime runtime;

    /** For {@code web.xml}: everything is read in {@link #init(FilterConfig)}. */
    public AuthFilter() {
    }

    /** For programmatic registration; init-params are then ignored. */
    public AuthFilter(Portcullis portcullis, AuthConfig config) {
        this.runtime = new AuthRuntime(Objects.requireNonNull(portcullis, "portcullis"), Objects.requireNonNull(config, "config"));
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        if (runtime != null) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            if (!AuthConfig.INIT_PARAMETERS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ServletException("AuthFilter: unknown init-param(s) " + unknown + "; known: " + AuthConfig.INIT_PARAMETERS);
        }
        String attribute = Optional.ofNullable(filterConfig.getInitParameter("portcullis-attribute"))
                .filter(s -> !s.isBlank()).map(String::strip).orElse(PORTCULLIS_ATTRIBUTE);
        Object found = filterConfig.getServletContext().getAttribute(attribute);
        if (!(found instanceof Portcullis portcullis)) {
            throw new ServletException("AuthFilter: no Portcullis in ServletContext attribute '" + attribute
                    + "'. Build one in a ServletContextListener (listed in web.xml) and call "
                    + "servletContext.setAttribute(\"" + attribute + "\", portcullis).");
        }
        try {
            runtime = new AuthRuntime(portcullis, AuthConfig.fromInitParameters(filterConfig::getInitParameter));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException("AuthFilter: " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        AuthRuntime rt = runtime;
        if (rt == null) {
            throw new ServletException("AuthFilter was not initialised");
        }
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("AuthFilter handles HTTP requests only");
        }
        Optional<RequestState> earlier = RequestState.of(request);
        try {
            if (request.getDispatcherType() == DispatcherType.REQUEST || earlier.isEmpty()) {
                filterRequest(rt, request, response, chain, earlier);
            } else {
                filterDispatch(rt, request, response, chain, earlier.get());
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "authentication store failed", e);
            rt.refuse(response, rt.wantsJson(request, null), HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "unavailable", "Authentication is temporarily unavailable. Try again shortly.");
        }
    }

    private void filterRequest(AuthRuntime rt, HttpServletRequest request, HttpServletResponse response,
                               FilterChain chain, Optional<RequestState> earlier) throws IOException, ServletException {
        boolean initial = request.getDispatcherType() == DispatcherType.REQUEST;
        Optional<String> normalised = initial
                ? RequestPaths.normalize(request.getRequestURI(), request.getContextPath())
                : Optional.of(dispatchTarget(request).orElse("/"));
        Optional<String> containerPath = containerPath(request);
        if (normalised.isEmpty() || containerPath.isEmpty()) {
            rt.refuse(response, false, HttpServletResponse.SC_BAD_REQUEST, "bad_path", "Bad request: the path is malformed or ambiguous.");
            return;
        }
        String path = normalised.get();
        boolean json = rt.wantsJson(request, path);
        RequestState state = earlier.orElseGet(() -> resolve(rt, request, response, path));
        request.setAttribute(RequestState.ATTRIBUTE, state);
        state.user.ifPresent(u -> request.setAttribute(AuthAttributes.CURRENT_USER, u));
        // The CSRF token (an HMAC) is computed only when asked for: AuthenticatedRequest answers the
        // attribute on first read, and the unsafe-method check below computes its own.

        if (initial && isUnsafe(request.getMethod()) && !state.bearer) {
            Optional<String> refusal = csrfRefusal(rt, request, state, !state.tokenEndpoint);
            if (refusal.isPresent()) {
                rt.refuse(response, json, HttpServletResponse.SC_FORBIDDEN, "csrf", refusal.get());
                return;
            }
        }
        Decision decision = decide(rt, state, List.of(path, containerPath.get()));
        if (decision != Decision.ALLOW) {
            deny(rt, request, response, path, json, state, decision, initial);
            return;
        }
        if (requiresLogin(rt, List.of(path, containerPath.get()))) {
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(new AuthenticatedRequest(request, state, path), new UrlSessionFreeResponse(response));

        Object denied = request.getAttribute(DENIED);
        if (denied instanceof Decision d && !response.isCommitted()) {
            request.removeAttribute(DENIED);
            deny(rt, request, response, path, json, state, d, false);
        }
    }

    /** A FORWARD, INCLUDE, ERROR or ASYNC dispatch of a request already seen. */
    private void filterDispatch(AuthRuntime rt, HttpServletRequest request, HttpServletResponse response,
                                FilterChain chain, RequestState state) throws IOException, ServletException {
        Optional<String> target = dispatchTarget(request);
        if (target.isPresent()) {
            String path = target.get();
            Decision decision = unambiguous(path) ? decide(rt, state, List.of(path)) : Decision.MALFORMED;
            if (decision != Decision.ALLOW) {
                if (request.getDispatcherType() == DispatcherType.INCLUDE) {
                    // An include cannot set the status; the REQUEST pass answers once the including servlet returns.
                    request.setAttribute(DENIED, decision);
                } else {
                    deny(rt, request, response, path, rt.wantsJson(request, path), state, decision, false);
                }
                return;
            }
            if (requiresLogin(rt, List.of(path))) {
                response.setHeader("Cache-Control", "no-store");
            }
        }
        if (request.getAttribute(AuthAttributes.CSRF_TOKEN) == null) {
            // Error and async dispatches may carry the container's own request rather than our wrapper.
            request.setAttribute(AuthAttributes.CSRF_TOKEN, rt.csrfToken(state));
        }
        chain.doFilter(request, response);
    }

    /** The path a dispatch goes to; empty for a named dispatch, which carries no path. */
    private static Optional<String> dispatchTarget(HttpServletRequest request) {
        if (request.getDispatcherType() == DispatcherType.INCLUDE) {
            Object servletPath = request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
            Object pathInfo = request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
            if (servletPath == null && pathInfo == null) {
                return Optional.empty();
            }
            return Optional.of(RequestPaths.join((String) servletPath, (String) pathInfo));
        }
        return containerPath(request);
    }

    private static Optional<String> containerPath(HttpServletRequest request) {
        try {
            return Optional.of(RequestPaths.join(request.getServletPath(), request.getPathInfo()));
        } catch (RuntimeException ambiguous) {
            return Optional.empty(); // some containers refuse to decode ambiguous paths
        }
    }

    private static boolean unambiguous(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains(";") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return path.chars().noneMatch(Character::isISOControl);
    }

    private enum Decision { ALLOW, LOGIN_REQUIRED, ROLE_MISSING, MALFORMED }

    private static boolean isPublic(AuthRuntime rt, String path) {
        if (rt.loginPagePattern.matches(path) || rt.registerPagePattern.matches(path)) {
            return true;
        }
        for (PathPattern p : rt.config.publicPaths()) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean requiresLogin(AuthRuntime rt, List<String> paths) {
        for (String p : paths) {
            if (!isPublic(rt, p)) {
                for (ProtectionRule r : rt.config.rules()) {
                    if (r.matches(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Every matching rule must be satisfied, for every view of the path. */
    private static Decision decide(AuthRuntime rt, RequestState state, List<String> paths) {
        for (String path : paths) {
            if (isPublic(rt, path)) {
                continue;
            }
            for (ProtectionRule rule : rt.config.rules()) {
                if (!rule.matches(path)) {
                    continue;
                }
                if (state.user.isEmpty()) {
                    return Decision.LOGIN_REQUIRED;
                }
                CurrentUser user = state.user.get();
                if (rule.role().isPresent() && !user.hasRole(rule.role().get())) {
                    return Decision.ROLE_MISSING;
                }
            }
        }
        return Decision.ALLOW;
    }

    /** @param redirect whether an anonymous browser may be redirected to the login page (not after a dispatch) */
    private static void deny(AuthRuntime rt, HttpServletRequest request, HttpServletResponse response, String path,
                             boolean json, RequestState state, Decision decision, boolean redirect) throws IOException {
        switch (decision) {
            case LOGIN_REQUIRED -> {
                if (json || redirect) {
                    rt.challenge(request, response, path, json, state.bearer);
                } else {
                    response.setHeader("WWW-Authenticate", "Session realm=\"portcullis\"");
                    rt.refuse(response, false, HttpServletResponse.SC_UNAUTHORIZED, "unauthenticated",
                            "Unauthorized: log in to continue.");
                }
            }
            case ROLE_MISSING -> rt.refuse(response, json, HttpServletResponse.SC_FORBIDDEN, "forbidden",
                    "Forbidden: your account lacks the role this page requires.");
            case MALFORMED -> rt.refuse(response, json, HttpServletResponse.SC_BAD_REQUEST, "bad_path",
                    "Bad request: the path is malformed or ambiguous.");
            case ALLOW -> throw new IllegalStateException("not a denial");
        }
    }

    private static RequestState resolve(AuthRuntime rt, HttpServletRequest request, HttpServletResponse response, String path) {
        String clientAddress = rt.addresses.resolve(request);
        String authorization = request.getHeader("Authorization");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        boolean tokenEndpoint = !bearer && rt.isTokenEndpointRequest(request, path);
        Optional<CurrentUser> user = Optional.empty();
        Optional<SessionToken> session = Optional.empty();
        Optional<RememberMeToken> remembered = Optional.empty();
        if (bearer) {
            // Bearer credentials are for APIs: where API paths are declared, a bearer token elsewhere
            // (pages, the app's own form handlers) authenticates nobody, so a leaked access token or
            // API key cannot drive the browser UI (e.g. mint new keys, change the email).
            if (rt.bearerAllowedAt(path)) {
                String token = authorization.substring(7).strip();
                user = rt.config.bearerAuthenticator().flatMap(a -> a.authenticate(token));
            }
        } else if (!tokenEndpoint) {
            String name = rt.cookies.sessionName(request);
            Optional<String> cookie = Cookies.read(request, name);
            boolean deadSessionCookie = false;
            if (cookie.isPresent()) {
                session = SessionToken.parse(cookie.get());
                user = session.flatMap(rt.portcullis::currentUser);
                if (user.isEmpty()) {
                    session = Optional.empty();
                    deadSessionCookie = true;
                }
            }
            String rememberName = rt.cookies.rememberMeName(request);
            Optional<String> rememberCookie = Cookies.read(request, rememberName);
            if (rememberCookie.isPresent()) {
                remembered = RememberMeToken.parse(rememberCookie.get());
                if (remembered.isEmpty()) {
                    rt.cookies.clear(request, response, rememberName);
                } else if (user.isEmpty()) {
                    RememberMeResult resumed = rt.portcullis.resume(remembered.get(), clientAddress);
                    Optional<CurrentUser> resumedUser = resumed instanceof RememberMeResult.Resumed r
                            ? rt.portcullis.currentUser(r.session()) : Optional.empty();
                    if (resumed instanceof RememberMeResult.Resumed r && resumedUser.isPresent()) {
                        session = Optional.of(r.session());
                        user = resumedUser;
                        rt.cookies.set(request, response, name, r.session().value());
                        deadSessionCookie = false;
                        if (r.rotated().isPresent()) {
                            remembered = r.rotated();
                            rt.cookies.setPersistent(request, response, rememberName, r.rotated().get().encoded(),
                                    rt.portcullis.sessionPolicy().rememberMeLifetime());
                        }
                    } else {
                        // Invalid, expired, revoked, or a replayed copy (the core revoked the series).
                        remembered = Optional.empty();
                        rt.cookies.clear(request, response, rememberName);
                    }
                }
            }
            if (deadSessionCookie) {
                rt.cookies.clear(request, response, name);
            }
        }
        String csrfCookie = null; // bearer and token-endpoint requests: a random value, drawn only if a token is asked for
        if (!bearer && !tokenEndpoint) {
            csrfCookie = Cookies.read(request, rt.cookies.csrfName(request)).filter(CsrfTokens::wellFormed).orElse(null);
            if (csrfCookie == null) {
                csrfCookie = rt.csrf.newCookieValue();
                rt.cookies.set(request, response, rt.cookies.csrfName(request), csrfCookie);
                request.setAttribute(FRESH_CSRF_COOKIE, Boolean.TRUE);
            }
        }
        RequestState state = new RequestState(rt, clientAddress, bearer, tokenEndpoint, user, session, csrfCookie);
        state.rememberMe = remembered;
        return state;
    }

    static boolean isUnsafe(String method) {
        return method == null || !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    /** @param needsToken false for JSON requests to token endpoints, which carry no ambient credential */
    private static Optional<String> csrfRefusal(AuthRuntime rt, HttpServletRequest request, RequestState state,
                                                boolean needsToken) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && site.strip().equalsIgnoreCase("cross-site")) {
            return Optional.of("Forbidden: cross-site request refused (Sec-Fetch-Site: cross-site).");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(rt, request, origin.strip())) {
            return Optional.of("Forbidden: request from a different origin refused (Origin does not match).");
        }
        if (!needsToken) {
            return Optional.empty();
        }
        if (request.getAttribute(FRESH_CSRF_COOKIE) != null) {
            return Optional.of("Forbidden: CSRF token missing or invalid (no CSRF cookie). Reload the page and try again.");
        }
        String presented = request.getHeader(AuthAttributes.CSRF_HEADER);
        if (presented == null && hasFormBody(request)) {
            try {
                presented = request.getParameter(AuthAttributes.CSRF_FIELD);
            } catch (RuntimeException unreadable) {
                presented = null; // an unparseable body simply carries no token
            }
        }
        if (presented == null || presented.isEmpty()) {
            return Optional.of("Forbidden: CSRF token missing. Reload the page and try again.");
        }
        if (!rt.csrf.verify(presented, state.csrfCookie, rt.csrfBinding(state))) {
            return Optional.of("Forbidden: CSRF token invalid. Reload the page and try again.");
        }
        return Optional.empty();
    }

    private static boolean hasFormBody(HttpServletRequest request) {
        return Bodies.kind(request.getContentType()).isForm();
    }

    private static boolean originAllowed(AuthRuntime rt, HttpServletRequest request, String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        return o.equals(ownOrigin(request)) || rt.config.allowedOrigins().contains(o);
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443) || port <= 0;
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    @Override
    public void destroy() {
        // nothing held
    }

    /** Never writes session ids into URLs. */
    private static final class UrlSessionFreeResponse extends HttpServletResponseWrapper {
        UrlSessionFreeResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public String encodeURL(String url) {
            return url;
        }

        @Override
        public String encodeRedirectURL(String url) {
            return url;
        }
    }
}
