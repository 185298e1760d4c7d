package dev.portcullis.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ConfirmEmailChangeResult;
import dev.portcullis.CurrentUser;
import dev.portcullis.EmailChangeResult;
import dev.portcullis.EmailVerificationResult;
import dev.portcullis.FieldErrors;
import dev.portcullis.LoginResult;
import dev.portcullis.MailRequestResult;
import dev.portcullis.PasswordResetResult;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ready-made endpoints for login, logout, registration and the mail flows (email verification,
 * password reset, email change), for HTML forms and JSON clients. Mount it at a path ending in
 * {@code /*} (e.g. {@code /auth/*}) behind {@link AuthFilter}, which checks CSRF and supplies its
 * settings. Every endpoint is POST (CSRF-protected) except {@code /csrf}:
 *
 * <table>
 *   <caption>Endpoints below the mount path</caption>
 *   <tr><th>Path</th><th>Fields</th><th>Form success: 303 to</th></tr>
 *   <tr><td>{@code /login}</td><td>{@code email}, {@code password}, {@code remember_me}, {@code next}</td><td>{@code next} or {@link AuthConfig#afterLoginPath()}</td></tr>
 *   <tr><td>{@code /register}</td><td>{@code email}, {@code password}, {@code confirm_password}, {@code next}</td><td>{@code next} or {@link AuthConfig#afterLoginPath()}</td></tr>
 *   <tr><td>{@code /logout}</td><td>(none)</td><td>{@link AuthConfig#afterLogoutPath()}</td></tr>
 *   <tr><td>{@code /verify-email}</td><td>{@code token}</td><td>{@link AuthConfig#emailVerifiedPath()}</td></tr>
 *   <tr><td>{@code /resend-verification}</td><td>{@code email}</td><td>{@link AuthConfig#verificationSentPath()}</td></tr>
 *   <tr><td>{@code /forgot-password}</td><td>{@code email}</td><td>{@link AuthConfig#resetRequestedPath()}</td></tr>
 *   <tr><td>{@code /email}</td><td>{@code email}, {@code current_password}</td><td>{@link AuthConfig#emailChangeRequestedPath()}</td></tr>
 *   <tr><td>{@code /reset-password}</td><td>{@code token}, {@code password}, {@code confirm_password}</td><td>{@link AuthConfig#passwordResetPath()}</td></tr>
 *   <tr><td>{@code /email}</td><td>{@code email} (the new address; requires login)</td><td>{@link AuthConfig#emailChangeRequestedPath()}</td></tr>
 *   <tr><td>{@code /confirm-email}</td><td>{@code token}</td><td>{@link AuthConfig#emailChangedPath()}</td></tr>
 *   <tr><td>{@code /csrf} (GET)</td><td></td><td>answers {@code {"csrfToken":…,"headerName":…,"fieldName":…}}</td></tr>
 * </table>
 *
 * <p>{@code confirm_password} may also be spelled {@code confirmPassword}, {@code remember_me}
 * {@code rememberMe} (any of {@code on}, {@code true}, {@code 1}, {@code yes} ticks it; JSON may
 * use a boolean). Bodies are {@code application/x-www-form-urlencoded} (plus the
 * {@code csrf_token} field) or {@code application/json} (a flat object of strings or booleans,
 * with the {@code X-CSRF-Token} header); anything else is 415. A JSON request gets JSON answers; a
 * form gets a 303 redirect on success. A failed form is <em>forwarded as a GET</em> to the app's
 * page for that flow (login, register, verify-email, forgot-password, reset-password, email,
 * confirm-email page of {@link AuthConfig}) with the status set (400, 401, 403, 409, 422, 429 +
 * Retry-After, 503 + Retry-After) and a {@link FormFailure} in {@link AuthAttributes#FORM_FAILURE},
 * so the page re-renders itself with field errors. Every answer carries
 * {@code Cache-Control: no-store}; bad input never causes a 500.
 *
 * <p>The session-changing steps go through {@link WebAuth}, the same API an application's own
 * handlers use. Thread-safe; holds no state of its own.
 */
public final class AuthEndpointsServlet extends HttpServlet {

    private static final java.util.Set<String> MAIL_OPERATIONS = java.util.Set.of("/verify-email", "/resend-verification",
            "/forgot-password", "/reset-password", "/email", "/confirm-email");

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(AuthEndpointsServlet.class.getName());
    private static final Set<String> POST_ENDPOINTS = Set.of("/login", "/register", "/logout", "/verify-email",
            "/resend-verification", "/forgot-password", "/reset-password", "/email", "/confirm-email");
    private static final List<String> FORM_FIELDS = List.of("email", "password", "confirmPassword", "confirm_password", "currentPassword", "current_password",
            "next", "remember_me", "rememberMe", "token");
    private static final Set<String> TICKED = Set.of("on", "true", "1", "yes");
    private static final Bodies BODIES = Bodies.jsonOrForm(64 * 1024, FORM_FIELDS);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Optional<RequestAuth> found = RequestAuth.of(request);
        if (found.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "AuthEndpointsServlet called without AuthFilter in front of it");
            ResponseWriter.write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, ResponseWriter.TEXT,
                    "Misconfigured: map AuthFilter to /* in front of AuthEndpointsServlet.\n");
            return;
        }
        RequestAuth state = found.get();
        AuthRuntime rt = state.runtime();
        response.setHeader("Cache-Control", "no-store");
        String op = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean json = state.wantsJson();
        try {
            if (op.equals("/csrf")) {
                csrf(rt, state, request, response, json);
                return;
            }
            if (!POST_ENDPOINTS.contains(op)) {
                Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_NOT_FOUND, "not_found", "Not found."));
                return;
            }
            if (!request.getMethod().equals("POST")) {
                response.setHeader("Allow", "POST");
                Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed", "Use POST."));
                return;
            }
            Call call = new Call(rt, state, request, response, json);
            if (op.equals("/logout")) {
                logout(call);
                return;
            }
            Optional<Map<String, String>> fields = readFields(rt, request, response, json);
            if (fields.isEmpty()) {
                return;
            }
            call.fields.putAll(fields.get());
            if (MAIL_OPERATIONS.contains(op) && !rt.core().mailEnabled()) {
                Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_NOT_FOUND, "not_found", "Email features are not enabled in this application."));
                return;
            }
            switch (op) {
                case "/login" -> login(call);
                case "/register" -> register(call);
                case "/verify-email" -> verifyEmail(call);
                case "/resend-verification" -> resendVerification(call);
                case "/forgot-password" -> forgotPassword(call);
                case "/reset-password" -> resetPassword(call);
                case "/email" -> requestEmailChange(call);
                case "/confirm-email" -> confirmEmailChange(call);
                default -> throw new IllegalStateException("unrouted " + op);
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "authentication store failed", e);
            Responses.refuse(response, json, ResultResponses.unavailable());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + op, e);
            Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side."));
        }
    }

    /** One endpoint call: the request, its state and the submitted fields. */
    private static final class Call {
        final AuthRuntime rt;
        final RequestAuth state;
        final HttpServletRequest request;
        final HttpServletResponse response;
        final boolean json;
        final WebAuth auth;
        final Map<String, String> fields = new HashMap<>();

        Call(AuthRuntime rt, RequestAuth state, HttpServletRequest request, HttpServletResponse response, boolean json) {
            this.rt = rt;
            this.state = state;
            this.request = request;
            this.response = response;
            this.json = json;
            this.auth = WebAuth.of(request, response);
        }

        String field(String name) {
            return fields.get(name);
        }

        /** The first of two spellings that was sent. */
        String fieldEither(String snake, String camel) {
            String value = fields.get(snake);
            return value != null ? value : fields.get(camel);
        }

        /** {@code confirm_password} or {@code confirmPassword}. */
        String confirmPassword() {
            String camel = fields.get("confirmPassword");
            return camel != null ? camel : fields.get("confirm_password");
        }

        boolean rememberMe() {
            return ticked(fields.get("remember_me")) || ticked(fields.get("rememberMe"));
        }

        private static boolean ticked(String value) {
            return value != null && TICKED.contains(value.strip().toLowerCase(Locale.ROOT));
        }
    }

    private static void csrf(AuthRuntime rt, RequestAuth state, HttpServletRequest request, HttpServletResponse response,
                             boolean json) throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed", "Use GET."));
            return;
        }
        ObjectNode body = Json.object().put("csrfToken", WebAuth.csrfToken(state))
                .put("headerName", AuthAttributes.CSRF_HEADER).put("fieldName", AuthAttributes.CSRF_FIELD);
        ResponseWriter.write(response, HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
    }

    /** The submitted fields; empty after an error answer has been written. */
    private static Optional<Map<String, String>> readFields(AuthRuntime rt, HttpServletRequest request,
                                                            HttpServletResponse response, boolean json) throws IOException {
        Bodies.Body body = BODIES.read(request, Bodies.kind(request.getContentType()));
        switch (body.outcome()) {
            case READ -> {
                return Optional.of(body.fields());
            }
            case UNSUPPORTED -> Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type", "Send application/x-www-form-urlencoded or application/json."));
            case TOO_LARGE -> Responses.refuse(response, json, Answer.of(413, "too_large", "The request body is too large."));
            case MALFORMED -> Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_BAD_REQUEST, "malformed_request",
                    Bodies.kind(request.getContentType()) == Bodies.Kind.JSON
                            ? "The body must be a JSON object whose members are strings." : "The form could not be read."));
        }
        return Optional.empty();
    }

    private static RawPassword password(String value) {
        return value == null ? null : RawPassword.of(value);
    }

    // ---- login, registration, logout -----------------------------------------------------------

    private static void login(Call c) throws IOException, ServletException {
        LoginResult result = c.rt.core().login(c.field("email"), password(c.field("password")),
                c.state.clientAddress());
        if (result instanceof LoginResult.Success s) {
            succeed(c, s.session(), "logged_in", c.rememberMe());
        } else {
            fail(c, c.rt.config().loginPage(), ResultResponses.login(result));
        }
    }

    private static void register(Call c) throws IOException, ServletException {
        RegistrationResult result = c.rt.core().register(c.field("email"),
                password(c.field("password")), password(c.confirmPassword()), c.state.clientAddress());
        Answer answer = ResultResponses.registration(result);
        if (result instanceof RegistrationResult.Registered r) {
            succeed(c, r.session(), answer.code(), false);
        } else if (result instanceof RegistrationResult.VerificationSent) {
            // Verify-first mode: the same answer whether or not the address was taken; nobody is logged in.
            done(c, answer, c.rt.config().verificationSentPath());
        } else {
            fail(c, c.rt.config().registerPage(), answer);
        }
    }

    private static void logout(Call c) throws IOException {
        c.auth.endSession();
        if (c.json) {
            ObjectNode body = Json.object().put("status", "logged_out").put("csrfToken", c.auth.csrfToken());
            ResponseWriter.write(c.response, HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
        } else {
            Responses.seeOther(c.request, c.response, c.rt.config().afterLogoutPath());
        }
    }

    private static void succeed(Call c, SessionToken session, String status, boolean rememberMe) throws IOException {
        Optional<CurrentUser> user = c.auth.startSession(session);
        if (user.isEmpty()) { // disabled or deleted between the two calls
            Responses.refuse(c.response, c.json, Answer.of(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "Try again."));
            return;
        }
        if (rememberMe) {
            try {
                c.auth.rememberMe();
            } catch (IllegalStateException notEnabled) {
                LOG.log(System.Logger.Level.WARNING, "remember-me requested but not enabled: " + notEnabled.getMessage());
            }
        }
        String target = SafeRedirects.sanitize(c.field("next"), c.rt.config().afterLoginPath());
        if (c.json) {
            CurrentUser u = user.get();
            ObjectNode body = Json.object().put("status", status)
                    .put("redirect", c.request.getContextPath() + target)
                    .put("csrfToken", c.auth.csrfToken());
            ObjectNode userNode = body.putObject("user").put("id", u.id().value()).put("email", u.email().display());
            ArrayNode roles = userNode.putArray("roles");
            u.roles().stream().sorted().forEach(roles::add);
            ResponseWriter.write(c.response, HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
        } else {
            Responses.seeOther(c.request, c.response, target);
        }
    }

    // ---- mail flows ----------------------------------------------------------------------------

    private static void verifyEmail(Call c) throws IOException, ServletException {
        EmailVerificationResult result = c.rt.core().verifyEmail(c.field("token"));
        Answer answer = ResultResponses.emailVerification(result);
        if (result instanceof EmailVerificationResult.Verified) {
            done(c, answer, c.rt.config().emailVerifiedPath());
        } else {
            fail(c, c.rt.config().verifyEmailPage(), answer);
        }
    }

    private static void resendVerification(Call c) throws IOException, ServletException {
        Answer answer = ResultResponses.verificationResend(c.rt.core().resendVerification(c.field("email")));
        if (answer.isError()) {
            fail(c, c.rt.config().verifyEmailPage(), answer);
        } else {
            done(c, answer, c.rt.config().verificationSentPath());
        }
    }

    /** The same answer whether or not an account exists: the core does the lookup off the request thread. */
    private static void forgotPassword(Call c) throws IOException, ServletException {
        Answer answer = ResultResponses.passwordResetRequest(
                c.rt.core().requestPasswordReset(c.field("email"), c.state.clientAddress()));
        if (answer.isError()) {
            fail(c, c.rt.config().forgotPasswordPage(), answer);
        } else {
            done(c, answer, c.rt.config().resetRequestedPath());
        }
    }

    private static void resetPassword(Call c) throws IOException, ServletException {
        PasswordResetResult result = c.rt.core().resetPassword(c.field("token"), password(c.field("password")),
                password(c.confirmPassword()), c.state.clientAddress());
        Answer answer = ResultResponses.passwordReset(result);
        if (result instanceof PasswordResetResult.Reset) {
            endBrowserSession(c); // the core revoked every session and remember-me token of the user
            done(c, answer, c.rt.config().passwordResetPath());
        } else {
            fail(c, c.rt.config().resetPasswordPage(), answer);
        }
    }

    private static void requestEmailChange(Call c) throws IOException, ServletException {
        Optional<SessionToken> session = c.auth.session();
        EmailChangeResult result = session.isEmpty() ? new EmailChangeResult.NotAuthenticated()
                : c.rt.core().requestEmailChange(session.get(), c.field("email"),
                        password(c.fieldEither("current_password", "currentPassword")), c.state.clientAddress());
        Answer answer = ResultResponses.emailChangeRequest(result);
        if (result instanceof EmailChangeResult.ConfirmationSent) {
            done(c, answer, c.rt.config().emailChangeRequestedPath());
        } else if (result instanceof EmailChangeResult.NotAuthenticated) {
            if (c.json) {
                c.response.setHeader("WWW-Authenticate", Responses.SESSION_CHALLENGE);
                answer.writeJson(c.response);
            } else {
                String login = c.rt.config().loginPage();
                Responses.seeOther(c.request, c.response, login + (login.contains("?") ? "&" : "?") + "next="
                        + URLEncoder.encode(c.rt.config().emailChangePage(), StandardCharsets.UTF_8));
            }
        } else {
            fail(c, c.rt.config().emailChangePage(), answer);
        }
    }

    private static void confirmEmailChange(Call c) throws IOException, ServletException {
        ConfirmEmailChangeResult result = c.rt.core().confirmEmailChange(c.field("token"), c.state.clientAddress());
        Answer answer = ResultResponses.emailChangeConfirmation(result);
        if (result instanceof ConfirmEmailChangeResult.Changed) {
            endBrowserSession(c); // the core ended every session of the user
            done(c, answer, c.rt.config().emailChangedPath());
        } else {
            fail(c, c.rt.config().confirmEmailPage(), answer);
        }
    }

    /** Expires this browser's cookies when it held a session or remember-me token (already revoked in the core). */
    private static void endBrowserSession(Call c) {
        if (c.auth.session().isPresent() || c.state.rememberMe().isPresent()) {
            c.auth.endSession();
        }
    }

    // ---- answers -------------------------------------------------------------------------------

    /** Success without a session change: JSON {@code {"status","message"}}, or 303 to {@code path}. */
    private static void done(Call c, Answer answer, String path) throws IOException {
        if (c.json) {
            ResponseWriter.write(c.response, answer.status(), ResponseWriter.JSON, answer.toJson());
        } else {
            Responses.seeOther(c.request, c.response, path);
        }
    }

    private static void fail(Call c, String page, Answer answer) throws IOException, ServletException {
        if (c.json) {
            answer.writeJson(c.response);
            return;
        }
        answer.applyHeaders(c.response);
        Map<String, String> values = new HashMap<>();
        values.put("email", c.fields.getOrDefault("email", ""));
        String next = c.field("next");
        values.put("next", SafeRedirects.isSafe(next) ? next : "");
        if (c.fields.containsKey("token")) {
            values.put("token", c.field("token"));
        }
        c.request.setAttribute(AuthAttributes.FORM_FAILURE,
                new FormFailure(answer.status(), answer.code(), answer.message(), answer.fields(), values));
        RequestDispatcher view = c.request.getRequestDispatcher(RequestPaths.pathOnly(page));
        if (view == null) {
            Responses.refuse(c.response, false, answer);
            return;
        }
        view.forward(new AsGet(c.request), c.response);
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
