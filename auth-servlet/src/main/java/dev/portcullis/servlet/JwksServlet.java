package dev.portcullis.servlet;

import dev.portcullis.token.Tokens;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Publishes the public keys that verify access tokens ({@link Tokens#jwksJson()}) as
 * {@code application/jwk-set+json}, for other services that check tokens themselves. Mount it at
 * {@code /.well-known/jwks.json}. Answers GET and HEAD; cacheable for five minutes, so add a new
 * key as verify-only at least that long before it starts signing. Construct it with the service,
 * or with no arguments to take it from the {@code ServletContext} attribute
 * {@value TokenEndpointsServlet#TOKEN_SERVICE_ATTRIBUTE}. Thread-safe.
 */
public final class JwksServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient volatile Tokens tokens;

    /** For {@code web.xml}: the service is found in {@link #init(ServletConfig)}. */
    public JwksServlet() {
    }

    public JwksServlet(Tokens tokens) {
        this.tokens = java.util.Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (tokens == null) {
            tokens = TokenEndpointsServlet.service(config.getServletContext().getAttribute(
                    TokenEndpointsServlet.TOKEN_SERVICE_ATTRIBUTE), getClass().getSimpleName());
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = tokens.jwksJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/jwk-set+json;charset=UTF-8");
        response.setHeader("Cache-Control", "public, max-age=300");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
