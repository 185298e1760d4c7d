package dev.portcullis.servlet;

import dev.portcullis.Portcullis;

import dev.portcullis.spi.PortcullisException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication for any Jakarta Servlet 6 application. Map it to {@code /*} for the
 * {@code REQUEST}, {@code FORWARD}, {@code INCLUDE}, {@code ERROR} and {@code ASYNC} dispatcher
 * types, in front of every other filter that depends on the user. For each request it:
 *
 * <ol>
 *   <li>takes the scheme and port from {@code X-Forwarded-Proto}/{@code X-Forwarded-Port} when the
 *       peer is a {@linkplain AuthConfig.Builder#trustedProxies trusted proxy}, and sends
 *       {@code Strict-Transport-Security} on every answer to an HTTPS request
 *       ({@link AuthConfig.HttpsSettings});</li>
 *   <li>refuses {@code TRACE} (405) on every path: it would echo the request, HttpOnly cookies
 *       included;</li>
 *   <li>normalises the path and refuses (400) ambiguous forms: {@code ;} parameters (so no
 *       {@code ;jsessionid=}), encoded {@code /}, {@code \}, {@code ;} or {@code %}, dot segments,
 *       doubled slashes, control characters, malformed UTF-8;</li>
 *   <li>resolves the user from the session cookie (or, when a {@link BearerAuthenticator} is
 *       configured, from {@code Authorization: Bearer}) and removes a dead session cookie; without
 *       a valid session, resumes one from a remember-me cookie ({@link WebAuth#rememberMe()}),
 *       rotating it, and expires a remember-me cookie the core refuses (never on bearer
 *       requests, which get no cookie and read only the CSRF cookie, for the CSRF check);</li>
 *   <li>on unsafe methods (anything but GET, HEAD, OPTIONS, TRACE, in any letter case), unless
 *       the bearer authenticator accepted the request's token on a declared API path, refuses
 *       (403) a foreign {@code Origin}, {@code Sec-Fetch-Site: cross-site}, and a missing or wrong
 *       CSRF token (no token is needed for JSON requests to
 *       {@linkplain AuthConfig.Builder#tokenEndpointPath token endpoints}); a bearer header alone
 *       switches nothing off, and a bearer request never gets a cookie;</li>
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
 * <p>The filter only orchestrates; each step is decided once per request by a package-private
 * part: {@link RequestPaths} (normalise), {@link RequestResolver} (who is asking, into a
 * {@link RequestAuth}), {@link CsrfGuard}, {@link AccessPolicy}, then the chain.
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
    private static final String DENIED = AuthFilter.class.getName() + ".denied";
    private static final Answer BAD_PATH = Answer.of(HttpServletResponse.SC_BAD_REQUEST, "bad_path",
            "Bad request: the path is malformed or ambiguous.");
    /** {@code TRACE} echoes the request, HttpOnly cookies included; no application needs it. */
    private static final Answer TRACE_REFUSED = Answer.of(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
            "Method not allowed: TRACE is disabled.");
    private static final Answer NOT_JSON = Answer.of(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
            "Unsupported media type: token endpoints take application/json.");
    private static final String ALLOW_BUT_TRACE = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    /** The parts built from one runtime; set once, by the constructor or {@link #init}. */
    private record Parts(AuthRuntime runtime, RequestResolver resolver, CsrfGuard csrf, AccessPolicy access) {
        Parts(AuthRuntime runtime) {
            this(runtime, new RequestResolver(runtime), new CsrfGuard(runtime.csrf(), runtime.config().csrf().allowedOrigins(),
                    runtime.config().csrf().originOnlyPaths(), runtime.config().bodyLimits().maxFormBytes()), new AccessPolicy(runtime.config()));
        }
    }

    private volatile Parts parts;

    /** For {@code web.xml}: everything is read in {@link #init(FilterConfig)}. */
    public AuthFilter() {
    }

    /** For programmatic registration; init-params are then ignored. */
    public AuthFilter(Portcullis portcullis, AuthConfig config) {
        this.parts = new Parts(new AuthRuntime(Objects.requireNonNull(portcullis, "portcullis"), Objects.requireNonNull(config, "config")));
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        if (parts != null) {
            return;
        }
        parts = new Parts(WebXmlSetup.runtime(filterConfig));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        Parts p = parts;
        if (p == null) {
            throw new ServletException("AuthFilter was not initialised");
        }
        if (!(req instanceof HttpServletRequest received) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("AuthFilter handles HTTP requests only");
        }
        Optional<RequestAuth> earlier = RequestAuth.of(received);
        HttpServletRequest request = earlier.isEmpty() ? arrived(p, received, response) : received;
        try {
            if (request.getDispatcherType() == DispatcherType.REQUEST || earlier.isEmpty()) {
                filterRequest(p, request, response, chain, earlier);
            } else {
                filterDispatch(p, request, response, chain, earlier.get());
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "authentication store failed", e);
            boolean json = earlier.map(RequestAuth::wantsJson).orElseGet(() -> Bodies.clientPrefersJson(request,
                    Bodies.kind(request.getContentType())) || RequestPaths.normalize(request.getRequestURI(),
                    request.getContextPath()).filter(p.resolver()::isApiPath).isPresent());
            Responses.refuse(response, json, ResultResponses.unavailable());
        }
    }

    /**
     * The request as the client sent it (scheme and port from a trusted proxy's
     * {@code X-Forwarded-Proto}), with HSTS on every answer to HTTPS.
     */
    private static HttpServletRequest arrived(Parts p, HttpServletRequest received, HttpServletResponse response) {
        AuthConfig.HttpsSettings https = p.runtime().config().https();
        HttpServletRequest request = ForwardedRequest.of(received, p.runtime().addresses(), https.forwardedProto());
        if (request.isSecure()) {
            https.hstsHeader().ifPresent(v -> response.setHeader("Strict-Transport-Security", v));
        }
        return request;
    }

    /** normalise → resolve → CSRF → access → chain. */
    private void filterRequest(Parts p, HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                               Optional<RequestAuth> earlier) throws IOException, ServletException {
        boolean initial = request.getDispatcherType() == DispatcherType.REQUEST;
        if (initial && "TRACE".equalsIgnoreCase(request.getMethod())) {
            response.setHeader("Allow", ALLOW_BUT_TRACE);
            Responses.refuse(response, false, TRACE_REFUSED);
            return;
        }
        Optional<String> normalised = initial
                ? RequestPaths.normalize(request.getRequestURI(), request.getContextPath())
                : Optional.of(RequestPaths.dispatchTarget(request).orElse("/"));
        Optional<String> containerPath = RequestPaths.containerPath(request);
        if (normalised.isEmpty() || containerPath.isEmpty()) {
            Responses.refuse(response, false, BAD_PATH);
            return;
        }
        String path = normalised.get();
        RequestAuth auth = earlier.orElseGet(() -> p.resolver().resolve(request, response, path));
        request.setAttribute(RequestAuth.ATTRIBUTE, auth);
        auth.user().ifPresent(u -> request.setAttribute(AuthAttributes.CURRENT_USER, u));
        // The CSRF token (an HMAC) is computed only when asked for: AuthenticatedRequest answers the
        // attribute on first read, and the CSRF check computes its own.

        AccessPolicy.Decision decision = p.access().decide(auth.user(), List.of(path, containerPath.get()));
        // A bearer request whose token was not accepted is anonymous; where the path needs a user it
        // is refused anyway, and the challenge (401 invalid_token) tells an API client to refresh.
        boolean challengeFirst = auth.bearer() && !decision.allowed();
        if (initial && !challengeFirst && CsrfGuard.applies(request, auth) && !auth.tokenEndpoint()
                && p.resolver().isTokenEndpointPath(path)) {
            // A token endpoint takes JSON only; anything else would otherwise read as "CSRF token missing".
            Responses.refuse(response, true, NOT_JSON);
            return;
        }
        if (initial && !challengeFirst && CsrfGuard.applies(request, auth)) {
            Optional<Answer> refusal = p.csrf().refusal(request, auth, path);
            if (refusal.isPresent()) {
                if (refusal.get().status() == 413) {
                    // The body stays unread: do not let the container wait for it on this connection.
                    response.setHeader("Connection", "close");
                }
                Responses.refuse(response, auth.wantsJson(), refusal.get());
                return;
            }
        }
        if (!decision.allowed()) {
            deny(p, request, response, path, auth.wantsJson(), auth, decision.verdict(), initial);
            return;
        }
        if (decision.noStore()) {
            response.setHeader("Cache-Control", "no-store");
        }
        UrlSessionFreeResponse forApp = new UrlSessionFreeResponse(response);
        chain.doFilter(new AuthenticatedRequest(request, auth, path, forApp), forApp);

        if (request.getAttribute(DENIED) instanceof AccessPolicy.Verdict denied && !response.isCommitted()) {
            request.removeAttribute(DENIED);
            deny(p, request, response, path, auth.wantsJson(), auth, denied, false);
        }
    }

    /** A FORWARD, INCLUDE, ERROR or ASYNC dispatch of a request already seen. */
    private void filterDispatch(Parts p, HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                RequestAuth auth) throws IOException, ServletException {
        Optional<String> target = RequestPaths.dispatchTarget(request);
        if (target.isPresent()) {
            String path = target.get();
            AccessPolicy.Decision decision = RequestPaths.unambiguous(path)
                    ? p.access().decide(auth.user(), List.of(path)) : AccessPolicy.Decision.MALFORMED;
            if (!decision.allowed()) {
                if (request.getDispatcherType() == DispatcherType.INCLUDE) {
                    // An include cannot set the status; the REQUEST pass answers once the including servlet returns.
                    request.setAttribute(DENIED, decision.verdict());
                } else {
                    deny(p, request, response, path, p.resolver().wantsJsonAt(auth, path), auth, decision.verdict(), false);
                }
                return;
            }
            if (decision.noStore()) {
                response.setHeader("Cache-Control", "no-store");
            }
        }
        if (request.getAttribute(AuthAttributes.CSRF_TOKEN) == null) {
            // Error and async dispatches may carry the container's own request rather than our wrapper.
            request.setAttribute(AuthAttributes.CSRF_TOKEN, WebAuth.csrfToken(auth));
        }
        chain.doFilter(request, response);
    }

    /** @param redirect whether an anonymous browser may be redirected to the login page (not after a dispatch) */
    private static void deny(Parts p, HttpServletRequest request, HttpServletResponse response, String path, boolean json,
                             RequestAuth auth, AccessPolicy.Verdict verdict, boolean redirect) throws IOException {
        switch (verdict) {
            case LOGIN_REQUIRED -> {
                if (json || redirect) {
                    Responses.challenge(request, response, p.runtime().config().pages().login(), path, json, auth.bearer());
                } else {
                    response.setHeader("WWW-Authenticate", Responses.SESSION_CHALLENGE);
                    Responses.refuse(response, false, Answer.of(HttpServletResponse.SC_UNAUTHORIZED, "unauthenticated",
                            "Unauthorized: log in to continue."));
                }
            }
            case ROLE_MISSING -> Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_FORBIDDEN, "forbidden",
                    "Forbidden: your account lacks the role this page requires."));
            case MALFORMED -> Responses.refuse(response, json, BAD_PATH);
            case ALLOW -> throw new IllegalStateException("not a denial");
        }
    }

    @Override
    public void destroy() {
        Parts p = parts;
        if (p != null) {
            p.runtime().close(); // completes any sign-in held after a "busy" answer
        }
    }
}
