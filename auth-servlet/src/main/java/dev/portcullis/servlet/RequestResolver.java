package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;

/**
 * Decides, once per request, who is asking and how to answer them: the user from a bearer token,
 * or from the session cookie, or — without a valid session — from a remember-me cookie (resumed
 * and rotated); whether the request is a stateless token-endpoint call; whether it wants JSON.
 * Sets the cookies that decision implies (a resumed session, a rotated or refused remember-me
 * token, a dead session cookie expired, a CSRF cookie for a browser that has none). Bearer and
 * token-endpoint requests write no cookies and read neither the session nor the remember-me
 * cookie; a bearer request the authenticator did not accept on an API path is CSRF-checked, so
 * its CSRF cookie is read (never set). Thread-safe.
 */
final class RequestResolver {

    private static final String BEARER = "Bearer ";

    private final AuthRuntime runtime;
    private final List<PathPattern> apiPaths;
    private final List<PathPattern> tokenEndpointPaths;

    RequestResolver(AuthRuntime runtime) {
        this.runtime = runtime;
        this.apiPaths = runtime.config().api().apiPaths().stream().map(PathPattern::new).toList();
        this.tokenEndpointPaths = runtime.config().api().tokenEndpointPaths().stream().map(PathPattern::new).toList();
    }

    /** The user, session and remember-me token found in the request. */
    private record Found(Optional<CurrentUser> user, Optional<SessionToken> session, Optional<RememberMeToken> rememberMe) {
        static final Found NOBODY = new Found(Optional.empty(), Optional.empty(), Optional.empty());
    }

    RequestAuth resolve(HttpServletRequest request, HttpServletResponse response, String path) {
        Bodies.Kind kind = Bodies.kind(request.getContentType());
        boolean prefersJson = Bodies.clientPrefersJson(request, kind);
        String clientAddress = runtime.addresses().resolve(request);
        String authorization = request.getHeader("Authorization");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        boolean tokenEndpoint = kind == Bodies.Kind.JSON && isTokenEndpointPath(path);
        boolean apiPath = isApiPath(path);
        Cookies.Jar jar = runtime.cookies().jarFor(request);
        // Read once for the session, remember-me and CSRF cookies; stateless requests read them only
        // for a CSRF check, below.
        Cookie[] cookies = bearer || tokenEndpoint ? null : request.getCookies();
        Found found;
        if (bearer) {
            found = bearerUser(authorization.substring(BEARER.length()).strip(), apiPath);
        } else if (tokenEndpoint) {
            found = Found.NOBODY;
        } else {
            found = fromCookies(cookies, response, jar, clientAddress);
        }
        // Only a token the authenticator accepted, on a declared API path, stands in for the CSRF check.
        boolean bearerAuthenticated = bearer && found.user().isPresent() && apiPath;
        Optional<String> csrfCookie = Optional.empty(); // stateless requests draw one only if a token is asked for
        boolean noCsrfCookie = false;
        if (!bearerAuthenticated && !tokenEndpoint) {
            // Only a value this filter issued: a planted one is replaced, and the request refused as cookie-less.
            csrfCookie = Cookies.read(bearer ? request.getCookies() : cookies, jar.csrfName()).filter(runtime.csrf()::issued);
            if (csrfCookie.isEmpty()) {
                noCsrfCookie = true;
                if (!bearer) { // a bearer request reads the CSRF cookie for the check, but never gets one
                    csrfCookie = Optional.of(runtime.csrf().newCookieValue());
                    jar.set(response, jar.csrfName(), csrfCookie.get());
                }
            }
        }
        return new RequestAuth(runtime, clientAddress, bearer, bearerAuthenticated, tokenEndpoint, kind, prefersJson,
                apiPath || prefersJson, noCsrfCookie, jar,
                new SessionChange(found.user(), found.session(), found.rememberMe(), csrfCookie));
    }

    /** Whether answers for {@code path} are JSON: an API path, or a client that prefers JSON. */
    boolean wantsJsonAt(RequestAuth auth, String path) {
        return isApiPath(path) || auth.clientPrefersJson();
    }

    /** A path served by the token endpoints, whatever the request's content type. */
    boolean isTokenEndpointPath(String path) {
        for (PathPattern p : tokenEndpointPaths) { // loops, not streams: these run on every request
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** A declared API path (answers in JSON; the only paths where bearer tokens count, once any is declared). */
    boolean isApiPath(String path) {
        for (PathPattern p : apiPaths) {
            if (p.matchesIgnoringCase(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Bearer credentials are for APIs: where API paths are declared, a bearer token elsewhere
     * (pages, the app's own form handlers) authenticates nobody, so a leaked access token or API
     * key cannot drive the browser UI (e.g. mint new keys, change the email).
     */
    private Found bearerUser(String token, boolean apiPath) {
        if (!apiPaths.isEmpty() && !apiPath) {
            return Found.NOBODY;
        }
        Optional<CurrentUser> user = runtime.config().api().bearerAuthenticator().flatMap(a -> a.authenticate(token));
        return new Found(user, Optional.empty(), Optional.empty());
    }

    private Found fromCookies(Cookie[] cookies, HttpServletResponse response, Cookies.Jar jar, String clientAddress) {
        CoreCalls core = runtime.core();
        Optional<SessionToken> session = Optional.empty();
        Optional<CurrentUser> user = Optional.empty();
        boolean deadSessionCookie = false;
        Optional<String> cookie = Cookies.read(cookies, jar.sessionName());
        if (cookie.isPresent()) {
            session = SessionToken.parse(cookie.get());
            user = session.flatMap(core::currentUser);
            if (user.isEmpty()) {
                session = Optional.empty();
                deadSessionCookie = true;
            }
        }
        Optional<RememberMeToken> remembered = Optional.empty();
        Optional<String> rememberCookie = Cookies.read(cookies, jar.rememberMeName());
        if (rememberCookie.isPresent()) {
            remembered = RememberMeToken.parse(rememberCookie.get());
            if (remembered.isEmpty()) {
                jar.clear(response, jar.rememberMeName());
            } else if (user.isEmpty()) {
                Optional<CoreCalls.Resumed> resumed = core.resume(remembered.get(), clientAddress);
                if (resumed.isPresent()) {
                    CoreCalls.Resumed r = resumed.get();
                    session = Optional.of(r.session());
                    user = Optional.of(r.user());
                    jar.set(response, jar.sessionName(), r.session().value());
                    deadSessionCookie = false;
                    if (r.rotated().isPresent()) {
                        remembered = r.rotated();
                        jar.setPersistent(response, jar.rememberMeName(), r.rotated().get().encoded(), core.rememberMeLifetime());
                    }
                } else {
                    // Invalid, expired, revoked, or a replayed copy (the core revoked the series).
                    remembered = Optional.empty();
                    jar.clear(response, jar.rememberMeName());
                }
            }
        }
        if (deadSessionCookie) {
            jar.clear(response, jar.sessionName());
        }
        return new Found(user, session, remembered);
    }
}
