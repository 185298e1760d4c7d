package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.TokenDigest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Optional;

/** Everything the filter and the endpoints share: the facade, the settings and their helpers. Thread-safe. */
final class AuthRuntime {

    final Portcullis portcullis;
    final AuthConfig config;
    final Cookies cookies;
    final CsrfTokens csrf;
    final ClientAddresses addresses;
    /** The login and register pages are always public; built once, not per request. */
    final PathPattern loginPagePattern;
    final PathPattern registerPagePattern;

    AuthRuntime(Portcullis portcullis, AuthConfig config) {
        this.portcullis = portcullis;
        this.config = config;
        this.cookies = new Cookies(config);
        this.loginPagePattern = new PathPattern(RequestPaths.pathOnly(config.loginPage()));
        this.registerPagePattern = new PathPattern(RequestPaths.pathOnly(config.registerPage()));
        SecureRandom random = new SecureRandom();
        byte[] key = config.csrfSecret().orElseGet(() -> {
            byte[] k = new byte[32];
            random.nextBytes(k);
            return k;
        });
        this.csrf = new CsrfTokens(key, random);
        this.addresses = new ClientAddresses(config.trustedProxies(), config.clientAddressHeader());
    }

    /** Bearer tokens count only on declared API paths; with none declared, everywhere. */
    boolean bearerAllowedAt(String path) {
        return config.apiPaths().isEmpty()
                || (path != null && config.apiPaths().stream().anyMatch(p -> p.matchesIgnoringCase(path)));
    }

    /** JSON for API paths, JSON request bodies, and clients that ask for JSON rather than HTML. */
    boolean wantsJson(HttpServletRequest request, String path) {
        if (path != null && config.apiPaths().stream().anyMatch(p -> p.matchesIgnoringCase(path))) {
            return true;
        }
        return Bodies.clientPrefersJson(request, Bodies.kind(request.getContentType()));
    }

    /**
     * A JSON request to a configured token endpoint: no CSRF token, no cookies read or written
     * (see {@link AuthConfig.Builder#tokenEndpointPath}).
     */
    boolean isTokenEndpointRequest(HttpServletRequest request, String path) {
        return path != null && Bodies.kind(request.getContentType()) == Bodies.Kind.JSON
                && config.tokenEndpointPaths().stream().anyMatch(p -> p.matches(path));
    }

    Optional<TokenDigest> csrfBinding(RequestState state) {
        return state.user.isPresent() && !state.bearer ? state.session.map(SessionToken::digest) : Optional.empty();
    }

    String csrfToken(RequestState state) {
        if (state.csrfCookie == null) {
            // Bearer and token-endpoint requests: stateless, the value is never written nor checked.
            state.csrfCookie = csrf.newCookieValue();
        }
        return csrf.tokenFor(state.csrfCookie, csrfBinding(state));
    }

    /** Anonymous: a redirect to the login page for browsers, 401 JSON for API clients. */
    void challenge(HttpServletRequest request, HttpServletResponse response, String path, boolean json,
                   boolean bearer) throws IOException {
        Responses.challenge(request, response, config.loginPage(), path, json, bearer);
    }

    void refuse(HttpServletResponse response, boolean json, int status, String code, String message) throws IOException {
        Responses.refuse(response, json, Answer.of(status, code, message));
    }
}
