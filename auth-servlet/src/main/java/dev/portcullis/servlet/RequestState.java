package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * What {@link AuthFilter} learned about a request, for the endpoints and later dispatches. Kept
 * in a request attribute; mutable only through {@link WebAuth} (login and logout change the session).
 */
final class RequestState {

    static final String ATTRIBUTE = RequestState.class.getName();

    final AuthRuntime runtime;
    final String clientAddress;
    final boolean bearer;
    /** A JSON request to a token endpoint: neither cookies nor CSRF tokens apply. */
    final boolean tokenEndpoint;
    Optional<CurrentUser> user;
    Optional<SessionToken> session;
    String csrfCookie;
    /** The remember-me token the browser holds (as presented, or as just set), for logout to revoke. */
    Optional<RememberMeToken> rememberMe = Optional.empty();

    RequestState(AuthRuntime runtime, String clientAddress, boolean bearer, boolean tokenEndpoint,
                 Optional<CurrentUser> user, Optional<SessionToken> session, String csrfCookie) {
        this.runtime = runtime;
        this.clientAddress = clientAddress;
        this.bearer = bearer;
        this.tokenEndpoint = tokenEndpoint;
        this.user = user;
        this.session = session;
        this.csrfCookie = csrfCookie;
    }

    static Optional<RequestState> of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestState s ? Optional.of(s) : Optional.empty();
    }
}
