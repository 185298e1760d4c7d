package dev.portcullis.servlet;

import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailRequestResult;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.session.LoginResult;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private static final int MAX_JSON_BYTES = 64 * 1024;
    private static final Set<String> POST_ENDPOINTS = Set.of("/login", "/register", "/logout", "/verify-email",
            "/resend-verification", "/forgot-password", "/reset-password", "/email", "/confirm-email");
    private static final List<String> FORM_FIELDS = List.of("email", "password", "confirmPassword", "confirm_password", "currentPassword", "current_password",
            "next", "remember_me", "rememberMe", "token");
    private static final Set<String> TICKED = Set.of("on", "true", "1", "yes");
    private static final String INVALID_TOKEN = "This link is invalid or has expired. Request a new one.";

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
            if (op.equals("/csrf")) {
                csrf(rt, state, request, response, json);
                return;
            }
            if (!POST_ENDPOINTS.contains(op)) {
                rt.refuse(response, json, HttpServletResponse.SC_NOT_FOUND, "not_found", "Not found.");
                return;
            }
            if (!request.getMethod().equals("POST")) {
                response.setHeader("Allow", "POST");
                rt.refuse(response, json, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed", "Use POST.");
                return;
            }
            Call call = new Call(rt, state, request, response, json);
            if (op.equals("/logout")) {
                logout(call);
                return;
            }
            Optional<Map<String, String>> fields = readFields(rt, request, response);
            if (fields.isEmpty()) {
                return;
            }
            call.fields.putAll(fields.get());
            if (MAIL_OPERATIONS.contains(op) && !rt.portcullis.accounts().mailEnabled()) {
                rt.refuse(response, json, HttpServletResponse.SC_NOT_FOUND, "not_found",
                        "Email features are not enabled in this application.");
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
            rt.refuse(response, json, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "Authentication is temporarily unavailable. Try again shortly.");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + op, e);
            rt.refuse(response, json, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                    "Something went wrong on our side.");
        }
    }

    /** One endpoint call: the request, its state and the submitted fields. */
    private static final class Call {
        final AuthRuntime rt;
        final RequestState state;
        final HttpServletRequest request;
        final HttpServletResponse response;
        final boolean json;
        final WebAuth auth;
        final Map<String, String> fields = new HashMap<>();

        Call(AuthRuntime rt, RequestState state, HttpServletRequest request, HttpServletResponse response, boolean json) {
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

    private static void csrf(AuthRuntime rt, RequestState state, HttpServletRequest request, HttpServletResponse response,
                             boolean json) throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            rt.refuse(response, json, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed", "Use GET.");
            return;
        }
        ObjectNode body = rt.json.object().put("csrfToken", rt.csrfToken(state))
                .put("headerName", AuthAttributes.CSRF_HEADER).put("fieldName", AuthAttributes.CSRF_FIELD);
        AuthRuntime.write(response, HttpServletResponse.SC_OK, "application/json", rt.json.write(body));
    }

    /**
     * Reads and discards what is left of a refused body (up to 1 MiB), so the connection is not
     * reset under the client while it is still sending: it then reliably reads the 413.
     */
    private static void drain(HttpServletRequest request) {
        if (request.getContentLengthLong() > 1024 * 1024) {
            return;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] sink = new byte[8192];
            long left = 1024 * 1024;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: nothing to protect
        }
    }

    /** The submitted fields; empty after an error answer has been written. */
    private static Optional<Map<String, String>> readFields(AuthRuntime rt, HttpServletRequest request,
                                                            HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (AuthRuntime.isJsonMediaType(contentType)) {
            long declared = request.getContentLengthLong();
            if (declared > MAX_JSON_BYTES) {
                drain(request);
                rt.refuse(response, true, 413, "too_large", "The request body is too large.");
                return Optional.empty();
            }
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes(MAX_JSON_BYTES + 1);
            }
            if (body.length > MAX_JSON_BYTES) {
                drain(request);
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
                for (String name : FORM_FIELDS) {
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

    private static RawPassword password(String value) {
        return value == null ? null : RawPassword.of(value);
    }

    // ---- login, registration, logout -----------------------------------------------------------

    private static void login(Call c) throws IOException, ServletException {
        LoginResult result = c.rt.portcullis.sessions().login(new Credentials(c.field("email"), password(c.field("password"))),
                c.state.clientAddress);
        String page = c.rt.config.loginPage();
        if (result instanceof LoginResult.Success s) {
            succeed(c, s.user(), s.session(), "logged_in", c.rememberMe());
        } else if (result instanceof LoginResult.Invalid i) {
            fail(c, page, 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else if (result instanceof LoginResult.InvalidCredentials ic) {
            fail(c, page, 401, "invalid_credentials", ic.message(), none(), null);
        } else if (result instanceof LoginResult.Throttled t) {
            fail(c, page, 429, "throttled", "Too many attempts. Try again in " + seconds(t.retryAfter()) + " seconds.",
                    none(), t.retryAfter());
        } else if (result instanceof LoginResult.EmailNotVerified) {
            fail(c, page, 403, "email_not_verified",
                    "Verify your email address before logging in: follow the link we sent you.", none(), null);
        } else if (result instanceof LoginResult.Busy b) {
            fail(c, page, 503, "busy", "We are busy right now. Try again in a few seconds.", none(), b.retryAfter());
        } else {
            throw new IllegalStateException("unhandled login outcome " + result.getClass().getSimpleName());
        }
    }

    private static void register(Call c) throws IOException, ServletException {
        RegistrationResult result = c.rt.portcullis.accounts().register(new Registration(c.field("email"),
                password(c.field("password")), password(c.confirmPassword())), c.state.clientAddress);
        String page = c.rt.config.registerPage();
        if (result instanceof RegistrationResult.Registered r) {
            succeed(c, r.user(), r.session(), "registered", false);
        } else if (result instanceof RegistrationResult.Invalid i) {
            fail(c, page, 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else if (result instanceof RegistrationResult.EmailTaken t) {
            fail(c, page, 409, "email_taken", "An account with this email address already exists.", t.errors(), null);
        } else if (result instanceof RegistrationResult.VerificationSent) {
            // Verify-first mode: the same answer whether or not the address was taken; nobody is logged in.
            done(c, HttpServletResponse.SC_ACCEPTED, "verification_sent",
                    "Check your inbox: we sent a link to confirm the address.", c.rt.config.verificationSentPath());
        } else if (result instanceof RegistrationResult.Busy b) {
            fail(c, page, 503, "busy", "We are busy right now. Try again in a few seconds.", none(), b.retryAfter());
        } else {
            throw new IllegalStateException("unhandled registration outcome " + result.getClass().getSimpleName());
        }
    }

    private static void logout(Call c) throws IOException {
        c.auth.endSession();
        if (c.json) {
            ObjectNode body = c.rt.json.object().put("status", "logged_out").put("csrfToken", c.auth.csrfToken());
            AuthRuntime.write(c.response, HttpServletResponse.SC_OK, "application/json", c.rt.json.write(body));
        } else {
            redirect(c.request, c.response, c.rt.config.afterLogoutPath());
        }
    }

    private static void succeed(Call c, CurrentUser user, SessionToken session, String status, boolean rememberMe)
            throws IOException {
        c.auth.startSession(user, session);
        if (rememberMe) {
            try {
                c.auth.rememberMe();
            } catch (IllegalStateException notEnabled) {
                LOG.log(System.Logger.Level.WARNING, "remember-me requested but not enabled: " + notEnabled.getMessage());
            }
        }
        String target = SafeRedirects.sanitize(c.field("next"), c.rt.config.afterLoginPath());
        if (c.json) {
            CurrentUser u = user;
            ObjectNode body = c.rt.json.object().put("status", status)
                    .put("redirect", c.request.getContextPath() + target)
                    .put("csrfToken", c.auth.csrfToken());
            ObjectNode userNode = body.putObject("user").put("id", u.id().value()).put("email", u.email().display());
            ArrayNode roles = userNode.putArray("roles");
            u.roles().stream().sorted().forEach(roles::add);
            AuthRuntime.write(c.response, HttpServletResponse.SC_OK, "application/json", c.rt.json.write(body));
        } else {
            redirect(c.request, c.response, target);
        }
    }

    // ---- mail flows ----------------------------------------------------------------------------

    private static void verifyEmail(Call c) throws IOException, ServletException {
        EmailVerificationResult result = c.rt.portcullis.accounts().verifyEmail(c.field("token"));
        if (result instanceof EmailVerificationResult.Verified) {
            done(c, HttpServletResponse.SC_OK, "email_verified", "Your email address is verified.",
                    c.rt.config.emailVerifiedPath());
        } else {
            fail(c, c.rt.config.verifyEmailPage(), 400, "invalid_token", INVALID_TOKEN, none(), null);
        }
    }

    private static void resendVerification(Call c) throws IOException, ServletException {
        MailRequestResult result = c.rt.portcullis.accounts().resendVerification(c.field("email"));
        if (result instanceof MailRequestResult.Invalid i) {
            fail(c, c.rt.config.verifyEmailPage(), 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else {
            done(c, HttpServletResponse.SC_ACCEPTED, "verification_sent",
                    "If that address belongs to an unverified account, we sent a new link.", c.rt.config.verificationSentPath());
        }
    }

    /** The same answer whether or not an account exists: the core does the lookup off the request thread. */
    private static void forgotPassword(Call c) throws IOException, ServletException {
        MailRequestResult result = c.rt.portcullis.passwordResets().request(c.field("email"), c.state.clientAddress);
        if (result instanceof MailRequestResult.Invalid i) {
            fail(c, c.rt.config.forgotPasswordPage(), 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else {
            done(c, HttpServletResponse.SC_ACCEPTED, "reset_requested",
                    "If an account exists for that address, we sent it a link to reset the password.",
                    c.rt.config.resetRequestedPath());
        }
    }

    private static void resetPassword(Call c) throws IOException, ServletException {
        PasswordResetResult result = c.rt.portcullis.passwordResets().reset(c.field("token"), password(c.field("password")),
                password(c.confirmPassword()), c.state.clientAddress);
        String page = c.rt.config.resetPasswordPage();
        if (result instanceof PasswordResetResult.Reset) {
            endBrowserSession(c); // the core revoked every session and remember-me token of the user
            done(c, HttpServletResponse.SC_OK, "password_reset", "Your password was changed. Log in with the new one.",
                    c.rt.config.passwordResetPath());
        } else if (result instanceof PasswordResetResult.Invalid i) {
            fail(c, page, 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else if (result instanceof PasswordResetResult.InvalidOrExpired) {
            fail(c, page, 400, "invalid_token", INVALID_TOKEN, none(), null);
        } else if (result instanceof PasswordResetResult.Busy b) {
            fail(c, page, 503, "busy", "We are busy right now. Try again in a few seconds.", none(), b.retryAfter());
        } else {
            throw new IllegalStateException("unhandled reset outcome " + result.getClass().getSimpleName());
        }
    }

    private static void requestEmailChange(Call c) throws IOException, ServletException {
        Optional<SessionToken> session = c.auth.session();
        EmailChangeResult result = session.isEmpty() ? new EmailChangeResult.NotAuthenticated()
                : c.rt.portcullis.accounts().requestEmailChange(session.get(), c.field("email"),
                        password(c.fieldEither("current_password", "currentPassword")), c.state.clientAddress);
        if (result instanceof EmailChangeResult.ConfirmationSent) {
            done(c, HttpServletResponse.SC_ACCEPTED, "confirmation_sent",
                    "Follow the link we sent to the new address to complete the change.",
                    c.rt.config.emailChangeRequestedPath());
        } else if (result instanceof EmailChangeResult.Invalid i) {
            fail(c, c.rt.config.emailChangePage(), 422, "invalid_input", "Check the highlighted fields.", i.errors(), null);
        } else if (result instanceof EmailChangeResult.Throttled t) {
            fail(c, c.rt.config.emailChangePage(), 429, "throttled",
                    "Too many attempts. Try again in " + seconds(t.retryAfter()) + " seconds.", none(), t.retryAfter());
        } else if (result instanceof EmailChangeResult.Busy b) {
            fail(c, c.rt.config.emailChangePage(), 503, "busy", "We are busy right now. Try again in a few seconds.",
                    none(), b.retryAfter());
        } else if (result instanceof EmailChangeResult.NotAuthenticated) {
            if (c.json) {
                c.response.setHeader("WWW-Authenticate", "Session realm=\"portcullis\"");
                c.rt.refuse(c.response, true, HttpServletResponse.SC_UNAUTHORIZED, "unauthenticated", "Log in to continue.");
            } else {
                String login = c.rt.config.loginPage();
                redirect(c.request, c.response, login + (login.contains("?") ? "&" : "?") + "next="
                        + URLEncoder.encode(c.rt.config.emailChangePage(), StandardCharsets.UTF_8));
            }
        } else {
            throw new IllegalStateException("unhandled email change outcome " + result.getClass().getSimpleName());
        }
    }

    private static void confirmEmailChange(Call c) throws IOException, ServletException {
        ConfirmEmailChangeResult result = c.rt.portcullis.accounts().confirmEmailChange(c.field("token"), c.state.clientAddress);
        String page = c.rt.config.confirmEmailPage();
        if (result instanceof ConfirmEmailChangeResult.Changed) {
            endBrowserSession(c); // the core ended every session of the user
            done(c, HttpServletResponse.SC_OK, "email_changed", "Your email address was changed. Log in with the new one.",
                    c.rt.config.emailChangedPath());
        } else if (result instanceof ConfirmEmailChangeResult.InvalidOrExpired) {
            fail(c, page, 400, "invalid_token", INVALID_TOKEN, none(), null);
        } else if (result instanceof ConfirmEmailChangeResult.EmailTaken) {
            fail(c, page, 409, "email_taken", "Another account uses this email address now; nothing was changed.",
                    FieldErrors.of("email", "This address is taken."), null);
        } else {
            throw new IllegalStateException("unhandled email confirmation outcome " + result.getClass().getSimpleName());
        }
    }

    /** Expires this browser's cookies when it held a session or remember-me token (already revoked in the core). */
    private static void endBrowserSession(Call c) {
        if (c.auth.session().isPresent() || c.state.rememberMe.isPresent()) {
            c.auth.endSession();
        }
    }

    // ---- answers -------------------------------------------------------------------------------

    /** Success without a session change: JSON {@code {"status","message"}}, or 303 to {@code path}. */
    private static void done(Call c, int jsonStatus, String status, String message, String path) throws IOException {
        if (c.json) {
            ObjectNode body = c.rt.json.object().put("status", status).put("message", message);
            AuthRuntime.write(c.response, jsonStatus, "application/json", c.rt.json.write(body));
        } else {
            redirect(c.request, c.response, path);
        }
    }

    private static void redirect(HttpServletRequest request, HttpServletResponse response, String safeTarget) {
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + safeTarget);
    }

    private static void fail(Call c, String page, int status, String error, String message, FieldErrors errors,
                             Duration retryAfter) throws IOException, ServletException {
        if (retryAfter != null) {
            AuthRuntime.retryAfter(c.response, retryAfter);
        }
        if (c.json) {
            AuthRuntime.write(c.response, status, "application/json", c.rt.json.write(c.rt.json.error(error, message, errors)));
            return;
        }
        Map<String, String> values = new HashMap<>();
        values.put("email", c.fields.getOrDefault("email", ""));
        String next = c.field("next");
        values.put("next", SafeRedirects.isSafe(next) ? next : "");
        if (c.fields.containsKey("token")) {
            values.put("token", c.field("token"));
        }
        c.request.setAttribute(AuthAttributes.FORM_FAILURE, new FormFailure(status, error, message, errors, values));
        c.response.setStatus(status);
        RequestDispatcher view = c.request.getRequestDispatcher(pathOnly(page));
        if (view == null) {
            c.rt.refuse(c.response, false, status, error, message);
            return;
        }
        view.forward(new AsGet(c.request), c.response);
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
