package dev.portcullis.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.CurrentUser;
import dev.portcullis.FieldErrors;
import dev.portcullis.Credentials;
import dev.portcullis.LoginResult;
import dev.portcullis.Registration;
import dev.portcullis.RegistrationResult;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.spi.PortcullisException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ready-made endpoints for login, logout and registration, for HTML forms and JSON clients. Mount
 * it at a path ending in {@code /*} (e.g. {@code /auth/*}) behind {@link AuthFilter}, which checks
 * CSRF and supplies its settings:
 *
 * <table>
 *   <caption>Endpoints below the mount path</caption>
 *   <tr><th>Path</th><th>Method</th><th>Fields</th></tr>
 *   <tr><td>{@code /login}</td><td>POST</td><td>{@code email}, {@code password}, {@code next}</td></tr>
 *   <tr><td>{@code /register}</td><td>POST</td><td>{@code email}, {@code password}, {@code confirmPassword}, {@code next}</td></tr>
 *   <tr><td>{@code /logout}</td><td>POST</td><td>(none)</td></tr>
 *   <tr><td>{@code /csrf}</td><td>GET</td><td>answers {@code {"csrfToken":…,"headerName":…,"fieldName":…}}</td></tr>
 * </table>
 *
 * <p>Bodies are {@code application/x-www-form-urlencoded} (plus the {@code csrf_token} field) or
 * {@code application/json} (a flat object of strings, with the {@code X-CSRF-Token} header);
 * anything else is 415. A JSON request gets JSON answers; a form gets redirects:
 * on success 303 to {@code next} when {@link SafeRedirects} accepts it, else to
 * {@link AuthConfig#afterLoginPath()}; logout 303 to {@link AuthConfig#afterLogoutPath()}. A failed
 * form is <em>forwarded as a GET</em> to the app's login or register page with the status set
 * (401, 403, 409, 422, 429 + Retry-After, 503 + Retry-After) and a {@link FormFailure} in
 * {@link AuthAttributes#FORM_FAILURE}, so the page re-renders itself with field errors. Every
 * answer carries {@code Cache-Control: no-store}; bad input never causes a 500.
 *
 * <p>Thread-safe; holds no state of its own.
 */
public final class AuthEndpointsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(AuthEndpointsServlet.class.getName());
    private static final int MAX_JSON_BYTES = 64 * 1024;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Optional<RequestState> found = RequestState.of(request);
        if (found.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "AuthEndpointsServlet called without AuthFilter in front of it");
            AuthRuntime.write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "text/plain",
                    "Misconfigured: map AuthFilter to /* in front of AuthEndpointsServlet.\n");
            return;
        }
        RequestState state = found.get();
        AuthRuntime rt = state.runtime;
        response.setHeader("Cache-Control", "no-store");
        String op = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean json = rt.wantsJson(request, null);
        try {
            switch (op) {
                case "/login" -> {
                    if (requirePost(rt, request, response, json)) {
                        login(rt, state, request, response);
                    }
                }
                case "/register" -> {
                    if (requirePost(rt, request, response, json)) {
                        register(rt, state, request, response);
                    }
                }
                case "/logout" -> {
                    if (requirePost(rt, request, response, json)) {
                        logout(rt, state, request, response);
                    }
                }
                case "/csrf" -> {
                    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
                        response.setHeader("Allow", "GET, HEAD");
                        rt.refuse(response, json, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed", "Use GET.");
                        return;
                    }
                    ObjectNode body = rt.json.object().put("csrfToken", rt.csrfToken(state))
                            .put("headerName", AuthAttributes.CSRF_HEADER).put("fieldName", AuthAttributes.CSRF_FIELD);
                    AuthRuntime.write(response, HttpServletResponse.SC_OK, "application/json", rt.json.write(body));
                }
                default -> rt.refuse(response, json, HttpServletResponse.SC_NOT_FOUND, "not_found", "Not found.");
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "authentication store failed", e);
            rt.refuse(response, json, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "Authentication is temporarily unavailable. Try again shortly.");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + op, e);
            rt.refuse(response, json, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                    "Something went wrong on our side.");
        }
    }

    private static boolean requirePost(AuthRuntime rt, HttpServletRequest request, HttpServletResponse response,
                                       boolean json) throws IOException {
        if (request.getMethod().equals("POST")) {
            return true;
        }
        response.setHeader("Allow", "POST");
        rt.refuse(response, json, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed", "Use POST.");
        return false;
    }

    /** The submitted fields; empty after an error answer has been written. */
    private static Optional<Map<String, String>> readFields(AuthRuntime rt, HttpServletRequest request,
                                                            HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (AuthRuntime.isJsonMediaType(contentType)) {
            long declared = request.getContentLengthLong();
            if (declared > MAX_JSON_BYTES) {
                rt.refuse(response, true, 413, "too_large", "The request body is too large.");
                return Optional.empty();
            }
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes(MAX_JSON_BYTES + 1);
            }
            if (body.length > MAX_JSON_BYTES) {
                rt.refuse(response, true, 413, "too_large", "The request body is too large.");
                return Optional.empty();
            }
            Optional<Map<String, String>> fields = rt.json.readFlatObject(body);
            if (fields.isEmpty()) {
                rt.refuse(response, true, HttpServletResponse.SC_BAD_REQUEST, "malformed_request",
                        "The body must be a JSON object whose members are strings.");
            }
            return fields;
        }
        if (AuthRuntime.mediaType(contentType).equals("application/x-www-form-urlencoded")) {
            Map<String, String> fields = new HashMap<>();
            try {
                for (String name : new String[] {"email", "password", "confirmPassword", "next"}) {
                    String value = request.getParameter(name);
                    if (value != null) {
                        fields.put(name, value);
                    }
                }
            } catch (RuntimeException unreadable) {
                rt.refuse(response, rt.wantsJson(request, null), HttpServletResponse.SC_BAD_REQUEST, "malformed_request",
                        "The form could not be read.");
                return Optional.empty();
            }
            return Optional.of(fields);
        }
        rt.refuse(response, rt.wantsJson(request, null), HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Send application/x-www-form-urlencoded or application/json.");
        return Optional.empty();
    }

    private static RawPassword password(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null ? null : RawPassword.of(value);
    }

    private static void login(AuthRuntime rt, RequestState state, HttpServletRequest request,
                              HttpServletResponse response) throws IOException, ServletException {
        boolean json = rt.wantsJson(request, null);
        Optional<Map<String, String>> read = readFields(rt, request, response);
        if (read.isEmpty()) {
            return;
        }
        Map<String, String> fields = read.get();
        LoginResult result = rt.portcullis.login(new Credentials(fields.get("email"), password(fields, "password")),
                state.clientAddress);
        String page = rt.config.loginPage();
        if (result instanceof LoginResult.Success s) {
            succeed(rt, state, request, response, s.session(), fields, json, "logged_in");
        } else if (result instanceof LoginResult.Invalid i) {
            fail(rt, request, response, page, json, fields, 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else if (result instanceof LoginResult.InvalidCredentials c) {
            fail(rt, request, response, page, json, fields, 401, "invalid_credentials", c.message(), none(), null);
        } else if (result instanceof LoginResult.Throttled t) {
            fail(rt, request, response, page, json, fields, 429, "throttled",
                    "Too many attempts. Try again in " + seconds(t.retryAfter()) + " seconds.", none(), t.retryAfter());
        } else if (result instanceof LoginResult.EmailNotVerified) {
            fail(rt, request, response, page, json, fields, 403, "email_not_verified",
                    "Verify your email address before logging in: follow the link we sent you.", none(), null);
        } else if (result instanceof LoginResult.Busy b) {
            fail(rt, request, response, page, json, fields, 503, "busy",
                    "We are busy right now. Try again in a few seconds.", none(), b.retryAfter());
        } else {
            throw new IllegalStateException("unhandled login outcome " + result.getClass().getSimpleName());
        }
    }

    private static void register(AuthRuntime rt, RequestState state, HttpServletRequest request,
                                 HttpServletResponse response) throws IOException, ServletException {
        boolean json = rt.wantsJson(request, null);
        Optional<Map<String, String>> read = readFields(rt, request, response);
        if (read.isEmpty()) {
            return;
        }
        Map<String, String> fields = read.get();
        RegistrationResult result = rt.portcullis.register(new Registration(fields.get("email"),
                password(fields, "password"), password(fields, "confirmPassword")), state.clientAddress);
        String page = rt.config.registerPage();
        if (result instanceof RegistrationResult.Registered r) {
            succeed(rt, state, request, response, r.session(), fields, json, "registered");
        } else if (result instanceof RegistrationResult.Invalid i) {
            fail(rt, request, response, page, json, fields, 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else if (result instanceof RegistrationResult.EmailTaken t) {
            fail(rt, request, response, page, json, fields, 409, "email_taken",
                    "An account with this email address already exists.", t.errors(), null);
        } else if (result instanceof RegistrationResult.VerificationSent) {
            // Verify-first mode: the same answer whether or not the address was taken; nobody is logged in.
            if (json) {
                ObjectNode body = rt.json.object().put("status", "verification_sent")
                        .put("message", "Check your inbox: we sent a link to confirm the address.");
                AuthRuntime.write(response, HttpServletResponse.SC_ACCEPTED, "application/json", rt.json.write(body));
            } else {
                redirect(request, response, rt.config.verificationSentPath());
            }
        } else if (result instanceof RegistrationResult.Busy b) {
            fail(rt, request, response, page, json, fields, 503, "busy",
                    "We are busy right now. Try again in a few seconds.", none(), b.retryAfter());
        } else {
            throw new IllegalStateException("unhandled registration outcome " + result.getClass().getSimpleName());
        }
    }

    private static void logout(AuthRuntime rt, RequestState state, HttpServletRequest request,
                               HttpServletResponse response) throws IOException {
        boolean json = rt.wantsJson(request, null);
        rt.endSession(request, response, state);
        if (json) {
            ObjectNode body = rt.json.object().put("status", "logged_out").put("csrfToken", rt.csrfToken(state));
            AuthRuntime.write(response, HttpServletResponse.SC_OK, "application/json", rt.json.write(body));
        } else {
            redirect(request, response, rt.config.afterLogoutPath());
        }
    }

    private static void succeed(AuthRuntime rt, RequestState state, HttpServletRequest request, HttpServletResponse response,
                                SessionToken session, Map<String, String> fields, boolean json, String status)
            throws IOException {
        Optional<CurrentUser> user = rt.portcullis.currentUser(session);
        if (user.isEmpty()) { // disabled or deleted between the two calls
            rt.refuse(response, json, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "Try again.");
            return;
        }
        rt.startSession(request, response, state, session, user.get());
        String target = SafeRedirects.sanitize(fields.get("next"), rt.config.afterLoginPath());
        if (json) {
            CurrentUser u = user.get();
            ObjectNode body = rt.json.object().put("status", status)
                    .put("redirect", request.getContextPath() + target)
                    .put("csrfToken", rt.csrfToken(state));
            ObjectNode userNode = body.putObject("user").put("id", u.id().value()).put("email", u.email().display());
            ArrayNode roles = userNode.putArray("roles");
            u.roles().stream().sorted().forEach(roles::add);
            AuthRuntime.write(response, HttpServletResponse.SC_OK, "application/json", rt.json.write(body));
        } else {
            redirect(request, response, target);
        }
    }

    private static void redirect(HttpServletRequest request, HttpServletResponse response, String safeTarget) {
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + safeTarget);
    }

    private static void fail(AuthRuntime rt, HttpServletRequest request, HttpServletResponse response, String page,
                             boolean json, Map<String, String> fields, int status, String error, String message,
                             FieldErrors errors, Duration retryAfter) throws IOException, ServletException {
        if (retryAfter != null) {
            AuthRuntime.retryAfter(response, retryAfter);
        }
        if (json) {
            AuthRuntime.write(response, status, "application/json", rt.json.write(rt.json.error(error, message, errors)));
            return;
        }
        Map<String, String> values = new HashMap<>();
        values.put("email", fields.getOrDefault("email", ""));
        values.put("next", SafeRedirects.isSafe(fields.get("next")) ? fields.get("next") : "");
        request.setAttribute(AuthAttributes.FORM_FAILURE, new FormFailure(status, error, message, errors, values));
        response.setStatus(status);
        RequestDispatcher view = request.getRequestDispatcher(pathOnly(page));
        if (view == null) {
            rt.refuse(response, false, status, error, message);
            return;
        }
        view.forward(new AsGet(request), response);
    }

    private static String pathOnly(String page) {
        int q = page.indexOf('?');
        return q < 0 ? page : page.substring(0, q);
    }

    private static FieldErrors none() {
        return new FieldErrors(Map.of());
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
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
