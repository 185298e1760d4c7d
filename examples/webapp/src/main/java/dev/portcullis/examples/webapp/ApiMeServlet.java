package dev.portcullis.examples.webapp;

import dev.portcullis.model.CurrentUser;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.AuthAttributes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/me}: who the bearer token (access token or personal access token) belongs to.
 * The filter protects {@code /api/*} as an API path: no token, 401 JSON.
 */
final class ApiMeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<CurrentUser> me = AuthAttributes.currentUser(request);
        if (me.isEmpty()) {
            // The filter answers first for /api/me; this is the same answer, in the library's one error shape.
            response.setHeader("WWW-Authenticate", "Bearer realm=\"api\"");
            Answer.of(401, "unauthenticated", "Send a bearer token.").writeJson(response);
            return;
        }
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), Map.of("id", me.get().id().value(), "email", me.get().email().display()));
    }
}
