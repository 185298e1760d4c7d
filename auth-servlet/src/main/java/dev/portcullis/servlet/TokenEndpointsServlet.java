package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.Credentials;
import dev.portcullis.token.Tokens;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.PortcullisException;
import dev.portcullis.token.RefreshResult;
import dev.portcullis.token.TokenIssueResult;
import dev.portcullis.token.TokenPair;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * JSON endpoints that trade credentials for API tokens, for scripts and other non-browser clients.
 * Mount it at {@code /api/tokens/*} (any prefix works) behind {@link AuthFilter}, and declare that
 * path with {@link AuthConfig.Builder#tokenEndpointPath} (and {@link AuthConfig.Builder#publicPath}
 * if a rule protects it), so JSON requests need no CSRF token and get no cookies:
 *
 * <table>
 *   <caption>Endpoints below the mount path (bodies are {@code application/json})</caption>
 *   <tr><th>Method and path</th><th>Body</th><th>Answer</th></tr>
 *   <tr><td>{@code POST /}</td><td>{@code {"email","password"}}, and {@code "code"} for an account
 *       with two-factor sign-in</td>
 *       <td>200 {@code {"access_token","refresh_token","token_type":"Bearer","expires_in"}}</td></tr>
 *   <tr><td>{@code POST /refresh}</td><td>{@code {"refresh_token"}}</td><td>200, a new pair; the old refresh token is spent</td></tr>
 *   <tr><td>{@code DELETE /}</td><td>{@code {"refresh_token"}}</td><td>200 {@code {"status":"revoked"}}, also for unknown tokens</td></tr>
 * </table>
 *
 * <p>Errors have the one shape of every Portcullis endpoint, {@code {"error","message","fields"}}
 * (mapped by {@link ResultResponses#tokenIssue} and {@link ResultResponses#tokenRefresh}):
 * 400 {@code invalid_request} (with field messages where a field is at fault) or
 * {@code invalid_grant} (refresh token unknown, expired or reused — reuse revokes its whole
 * family), 401 {@code invalid_credentials} (unknown email, wrong password and disabled account
 * alike, with the same sentence as form login), 401 {@code mfa_required} (right password of an
 * account with a second factor, no {@code code}) and {@code invalid_code}, 403
 * {@code email_not_verified} and {@code mfa_enrolment_required}, 413, 415,
 * 429 {@code throttled} and 503 {@code busy} with {@code Retry-After}, 503 {@code unavailable}.
 * Credentials are checked by {@link Tokens#issue}, i.e. {@code Portcullis.authenticate},
 * with the same throttling and enumeration rules as form login. Every answer carries
 * {@code Cache-Control: no-store}.
 *
 * <p>Construct it with the {@link Tokens}, or (for {@code web.xml}) with no arguments: it then
 * takes the service from the {@code ServletContext} attribute {@value #TOKEN_SERVICE_ATTRIBUTE}.
 * Thread-safe.
 */
public final class TokenEndpointsServlet extends HttpServlet {

    /** Default {@code ServletContext} attribute holding the {@link Tokens} for {@code web.xml} setups. */
    public static final String TOKEN_SERVICE_ATTRIBUTE = "dev.portcullis.token.Tokens";

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(TokenEndpointsServlet.class.getName());
    private static final Bodies BODIES = Bodies.json(16 * 1024);

    private transient volatile Tokens tokens;

    /** For {@code web.xml}: the service is found in {@link #init(ServletConfig)}. */
    public TokenEndpointsServlet() {
    }

    public TokenEndpointsServlet(Tokens tokens) {
        this.tokens = java.util.Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (tokens == null) {
            tokens = service(config.getServletContext().getAttribute(TOKEN_SERVICE_ATTRIBUTE), getClass().getSimpleName());
        }
    }

    static Tokens service(Object found, String who) throws ServletException {
        if (found instanceof Tokens service) {
            return service;
        }
        throw new ServletException(who + ": no Tokens in ServletContext attribute '" + TOKEN_SERVICE_ATTRIBUTE
                + "'. Set it from a ServletContextListener, or construct the servlet with the service.");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        Optional<RequestAuth> state = RequestAuth.of(request);
        if (state.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "TokenEndpointsServlet called without AuthFilter in front of it");
            error(response, 500, "misconfigured", "Map AuthFilter to /* in front of TokenEndpointsServlet.");
            return;
        }
        String op = request.getPathInfo() == null || request.getPathInfo().equals("/") ? "" : request.getPathInfo();
        String method = request.getMethod();
        try {
            if (op.equals("") && method.equals("POST")) {
                withBody(request, state.get(), response, fields -> issue(state.get(), fields, response));
            } else if (op.equals("") && method.equals("DELETE")) {
                withBody(request, state.get(), response, fields -> revoke(fields, response));
            } else if (op.equals("/refresh") && method.equals("POST")) {
                withBody(request, state.get(), response, fields -> refresh(fields, response));
            } else if (op.equals("") || op.equals("/refresh")) {
                response.setHeader("Allow", op.isEmpty() ? "POST, DELETE" : "POST");
                error(response, 405, "method_not_allowed", "Use " + (op.isEmpty() ? "POST or DELETE." : "POST."));
            } else {
                error(response, 404, "not_found", "Not found.");
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "token store failed", e);
            ResultResponses.unavailable().writeJson(response);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in token endpoint " + op, e);
            error(response, 500, "internal_error", "Something went wrong on our side.");
        }
    }

    @FunctionalInterface
    private interface Handler {
        void handle(Map<String, String> fields) throws IOException;
    }

    private static void withBody(HttpServletRequest request, RequestAuth auth, HttpServletResponse response, Handler handler) throws IOException {
        Bodies.Body body = BODIES.read(request, auth.bodyKind());
        switch (body.outcome()) {
            case READ -> handler.handle(body.fields());
            case UNSUPPORTED -> error(response, 415, "unsupported_media_type", "Send Content-Type: application/json.");
            case TOO_LARGE -> error(response, 413, "too_large", "The request body is too large.");
            case MALFORMED -> error(response, 400, "invalid_request", "The body must be a JSON object whose members are strings, each named once.");
        }
    }

    private void issue(RequestAuth state, Map<String, String> fields, HttpServletResponse response) throws IOException {
        String password = fields.get("password");
        TokenIssueResult result = tokens.issue(new Credentials(fields.get("email"), password == null ? null : RawPassword.of(password)),
                fields.get("code"), state.clientAddress());
        if (result instanceof TokenIssueResult.Issued ok) {
            pair(response, ok.tokens());
        } else {
            ResultResponses.tokenIssue(result).writeJson(response);
        }
    }

    private void refresh(Map<String, String> fields, HttpServletResponse response) throws IOException {
        String token = fields.get("refresh_token");
        if (token == null || token.isEmpty()) {
            error(response, 400, "invalid_request", "Send {\"refresh_token\": …}.");
            return;
        }
        RefreshResult result = tokens.refresh(token);
        if (result instanceof RefreshResult.Refreshed ok) {
            pair(response, ok.tokens());
        } else {
            ResultResponses.tokenRefresh(result).writeJson(response);
        }
    }

    private void revoke(Map<String, String> fields, HttpServletResponse response) throws IOException {
        String token = fields.get("refresh_token");
        if (token == null || token.isEmpty()) {
            error(response, 400, "invalid_request", "Send {\"refresh_token\": …}.");
            return;
        }
        tokens.revoke(token); // the same answer for unknown tokens (RFC 7009)
        ResponseWriter.write(response, 200, ResponseWriter.JSON, Json.write(Json.object().put("status", "revoked")));
    }

    private static void pair(HttpServletResponse response, TokenPair pair) throws IOException {
        ObjectNode body = Json.object()
                .put("access_token", pair.accessToken())
                .put("refresh_token", pair.refreshToken())
                .put("token_type", pair.tokenType())
                .put("expires_in", pair.expiresIn().toSeconds());
        ResponseWriter.write(response, 200, ResponseWriter.JSON, Json.write(body));
    }

    private static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        Answer.of(status, code, message).writeJson(response);
    }
}
