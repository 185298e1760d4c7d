package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import java.util.Optional;

/**
 * The part of a request's authentication that can change while the request runs: login, logout
 * and remember-me replace the session, and a stateless request may draw a CSRF cookie value when a
 * token is first asked for. Starts as {@link RequestResolver} found it; afterwards only
 * {@link WebAuth} writes it (the architecture test checks this). Not thread-safe, like the request.
 */
final class SessionChange {

    private Optional<CurrentUser> user;
    private Optional<SessionToken> session;
    /** The remember-me token the browser holds (as presented, or as just set), for logout to revoke. */
    private Optional<RememberMeToken> rememberMe;
    /** Empty on bearer and token-endpoint requests until a token is asked for. */
    private Optional<String> csrfCookie;

    SessionChange(Optional<CurrentUser> user, Optional<SessionToken> session, Optional<RememberMeToken> rememberMe,
                  Optional<String> csrfCookie) {
        this.user = user;
        this.session = session;
        this.rememberMe = rememberMe;
        this.csrfCookie = csrfCookie;
    }

    Optional<CurrentUser> user() {
        return user;
    }

    Optional<SessionToken> session() {
        return session;
    }

    Optional<RememberMeToken> rememberMe() {
        return rememberMe;
    }

    Optional<String> csrfCookie() {
        return csrfCookie;
    }

    void setSession(Optional<CurrentUser> user, Optional<SessionToken> session) {
        this.user = user;
        this.session = session;
    }

    void setRememberMe(Optional<RememberMeToken> rememberMe) {
        this.rememberMe = rememberMe;
    }

    void setCsrfCookie(String value) {
        this.csrfCookie = Optional.of(value);
    }
}
