package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * What {@link RequestResolver} decided about a request, once, for the filter, the endpoints and
 * later dispatches; kept in a request attribute. Everything but {@link #change()} is fixed for the
 * request's life; the session part ({@link SessionChange}) is changed only by {@link WebAuth}.
 *
 * @param runtime           the settings and collaborators of the filter that resolved the request
 * @param clientAddress     for throttling and audit (see {@link ClientAddresses})
 * @param bearer            the request carries {@code Authorization: Bearer}: stateless, it never
 *                          gets a cookie nor reads the session or remember-me cookie
 * @param bearerAuthenticated the bearer authenticator accepted the token and the path is a declared
 *                          API path: the only bearer requests exempt from the CSRF check
 * @param tokenEndpoint     a JSON request to a token endpoint: no cookies, no CSRF token
 * @param bodyKind          the body's media type, parsed once
 * @param clientPrefersJson the client sent JSON or asked for it (see {@link Bodies#clientPrefersJson})
 * @param wantsJson         answers to this request are JSON (an API path, or the client prefers JSON)
 * @param noCsrfCookie      the request carried no CSRF cookie this filter issued; unless stateless,
 *                          this response sets one
 * @param cookies           the cookie names and attributes of this request
 * @param change            the user, session, remember-me token and CSRF cookie value, as they are now
 */
record RequestAuth(AuthRuntime runtime, String clientAddress, boolean bearer, boolean bearerAuthenticated,
                   boolean tokenEndpoint, Bodies.Kind bodyKind, boolean clientPrefersJson, boolean wantsJson,
                   boolean noCsrfCookie, Cookies.Jar cookies,
                   SessionChange change) {

    static final String ATTRIBUTE = RequestAuth.class.getName();

    static Optional<RequestAuth> of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestAuth a ? Optional.of(a) : Optional.empty();
    }

    Optional<CurrentUser> user() {
        return change.user();
    }

    Optional<SessionToken> session() {
        return change.session();
    }

    Optional<RememberMeToken> rememberMe() {
        return change.rememberMe();
    }

    /** What CSRF tokens are bound to: the cookie session of a logged-in user; never a bearer request's. */
    Optional<TokenDigest> csrfBinding() {
        return user().isPresent() && !bearer ? session().map(SessionToken::digest) : Optional.empty();
    }
}
