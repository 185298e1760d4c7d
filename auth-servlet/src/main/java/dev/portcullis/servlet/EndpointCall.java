package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.model.SessionToken;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call of an endpoint of {@link AuthEndpointsServlet}: the request, what the filter decided
 * about it, the posted fields, and the ways an endpoint answers (a form gets a redirect or its
 * page re-rendered; a JSON client gets JSON).
 */
record EndpointCall(HttpServletRequest request, HttpServletResponse response, RequestAuth auth, Fields fields) {

    private static final System.Logger LOG = System.getLogger(EndpointCall.class.getName());

    CoreCalls core() {
        return auth.runtime().core();
    }

    AuthConfig config() {
        return auth.runtime().config();
    }

    String clientAddress() {
        return auth.clientAddress();
    }

    boolean json() {
        return auth.wantsJson();
    }

    WebAuth web() {
        return WebAuth.of(request, response);
    }

    /** Success without a session change: JSON {@code {"status","message"}}, or 303 to {@code path}. */
    void done(Answer answer, String path) throws IOException {
        if (json()) {
            ResponseWriter.write(response, answer.status(), ResponseWriter.JSON, answer.toJson());
        } else {
            seeOther(path);
        }
    }

    void seeOther(String safeTarget) {
        Responses.seeOther(request, response, safeTarget);
    }

    /**
     * A failure: JSON in the one error shape, or the form's page ({@code page}) rendered again —
     * forwarded as a GET with the status set and a {@link FormFailure} in
     * {@link AuthAttributes#FORM_FAILURE}. A "busy" answer is then held for its {@code Retry-After}
     * ({@link WebAuth#holdIfBusy}), whichever endpoint hashed: sign-in, sign-up, reset,
     * re-authentication, email change.
     */
    void fail(String page, Answer answer) throws IOException, ServletException {
        render(page, answer);
        web().holdIfBusy(answer);
    }

    private void render(String page, Answer answer) throws IOException, ServletException {
        if (json()) {
            answer.writeJson(response);
            return;
        }
        answer.applyHeaders(response);
        Map<String, String> values = new HashMap<>();
        values.put("email", fields.has("email") ? fields.get("email") : "");
        String next = fields.get("next");
        values.put("next", SafeRedirects.isSafe(next) ? next : "");
        if (fields.has("token")) {
            values.put("token", fields.get("token"));
        }
        request.setAttribute(AuthAttributes.FORM_FAILURE,
                new FormFailure(answer.status(), answer.code(), answer.message(), answer.fields(), values));
        RequestDispatcher view = request.getRequestDispatcher(RequestPaths.pathOnly(page));
        if (view == null) {
            Responses.refuse(response, false, answer);
            return;
        }
        view.forward(new AsGet(request), response);
    }

    /**
     * Makes the session the core just issued the browser's ({@link WebAuth#startSession(CurrentUser, SessionToken)}), optionally remembered,
     * then redirects to {@code next} (when safe) or the after-login page; JSON clients get the
     * user and the rotated CSRF token.
     */
    void signIn(CurrentUser user, SessionToken session, String status, boolean rememberMe) throws IOException {
        WebAuth web = web();
        web.startSession(user, session);
        if (rememberMe) {
            try {
                web.rememberMe();
            } catch (IllegalStateException notEnabled) {
                LOG.log(System.Logger.Level.WARNING, "remember-me requested but not enabled: " + notEnabled.getMessage());
            }
        }
        String target = SafeRedirects.sanitize(fields.get("next"), config().pages().afterLogin());
        if (!json()) {
            seeOther(target);
            return;
        }
        CurrentUser u = user;
        ObjectNode body = Json.object().put("status", status)
                .put("redirect", request.getContextPath() + target)
                .put("csrfToken", web.csrfToken());
        ObjectNode userNode = body.putObject("user").put("id", u.id().value()).put("email", u.email().display());
        ArrayNode roles = userNode.putArray("roles");
        u.roles().stream().sorted().forEach(roles::add);
        ResponseWriter.write(response, HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
    }

    /** Lets the app's page render a failed post with its {@code doGet}. */
    private static final class AsGet extends HttpServletRequestWrapper {
        AsGet(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "GET";
        }
    }
}
