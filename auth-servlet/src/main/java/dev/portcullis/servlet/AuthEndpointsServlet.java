package dev.portcullis.servlet;

import dev.portcullis.spi.PortcullisException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 *   <tr><td>{@code /login}</td><td>{@code email}, {@code password}, {@code remember_me}, {@code next}</td><td>{@code next} or {@link AuthConfig.Pages#afterLogin()}</td></tr>
 *   <tr><td>{@code /register}</td><td>{@code email}, {@code password}, {@code confirm_password}, {@code next}</td><td>{@code next} or {@link AuthConfig.Pages#afterLogin()}</td></tr>
 *   <tr><td>{@code /logout}</td><td>(none)</td><td>{@link AuthConfig.Pages#afterLogout()}</td></tr>
 *   <tr><td>{@code /verify-email}</td><td>{@code token}</td><td>{@link AuthConfig.Pages#emailVerified()}</td></tr>
 *   <tr><td>{@code /resend-verification}</td><td>{@code email}</td><td>{@link AuthConfig.Pages#verificationSent()}</td></tr>
 *   <tr><td>{@code /forgot-password}</td><td>{@code email}</td><td>{@link AuthConfig.Pages#resetRequested()}</td></tr>
 *   <tr><td>{@code /reset-password}</td><td>{@code token}, {@code password}, {@code confirm_password}</td><td>{@link AuthConfig.Pages#passwordReset()}</td></tr>
 *   <tr><td>{@code /email}</td><td>{@code email} (the new address), {@code current_password}; requires login</td><td>{@link AuthConfig.Pages#emailChangeRequested()}</td></tr>
 *   <tr><td>{@code /confirm-email}</td><td>{@code token}</td><td>{@link AuthConfig.Pages#emailChanged()}</td></tr>
 *   <tr><td>{@code /login/mfa}</td><td>{@code code}, {@code remember_me}, {@code next}; the pending sign-in cookie</td><td>{@code next} or {@link AuthConfig.Pages#afterLogin()}</td></tr>
 *   <tr><td>{@code /login/enrol}</td><td>the pending sign-in cookie of a {@code mfa_enrolment_required} login</td><td>(JSON only: {@code otpauthUri}, {@code secret})</td></tr>
 *   <tr><td>{@code /login/enrol/confirm}</td><td>{@code code}, {@code remember_me}; the pending sign-in cookie</td><td>(JSON only: the user and the {@code recoveryCodes}, signed in)</td></tr>
 *   <tr><td>{@code /reauthenticate}</td><td>{@code password}, {@code code}, {@code next}; requires login</td><td>{@code next} or {@link AuthConfig.Pages#afterLogin()}</td></tr>
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
 * confirm-email page of {@link AuthConfig#pages()}) with the status set (400, 401, 403, 409, 422, 429 +
 * Retry-After, 503 + Retry-After) and a {@link FormFailure} in {@link AuthAttributes#FORM_FAILURE},
 * so the page re-renders itself with field errors. Every answer carries
 * {@code Cache-Control: no-store}; bad input never causes a 500. {@code /login} and
 * {@code /register} refuse a request with {@code Authorization: Bearer} (400
 * {@code bearer_not_accepted}): bearer requests never receive a session cookie.
 *
 * <p>With {@link AuthConfig.Builder#defaultPagesAt} (the bootstrap turns it on), the servlet also
 * answers GET with plain pages of its own at {@code /login}, {@code /register}, {@code /logout} (a
 * confirmation with a POST button), {@code /forgot-password}, {@code /reset-password?token=},
 * {@code /verify-email?token=} and {@code /confirm-email?token=}, plus their stylesheet
 * {@code /portcullis.css}; failed forms are shown again on them. Templates can be replaced one by
 * one by the application ({@code /WEB-INF/portcullis/templates/<page>.mustache}).
 *
 * <p>Outcomes are told through {@link ResultResponses}, and the session-changing steps go through
 * {@link WebAuth}: the same mapping and the same API an application's own handlers use. The
 * servlet only routes; each endpoint is a small package-private class. Thread-safe; holds no
 * state of its own.
 */
public final class AuthEndpointsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(AuthEndpointsServlet.class.getName());
    private static final Bodies BODIES = Bodies.jsonOrForm(64 * 1024, Fields.NAMES);
    /** Bearer requests are stateless: they never receive a session cookie, so they cannot sign in here. */
    private static final Answer BEARER_SIGN_IN = Answer.of(HttpServletResponse.SC_BAD_REQUEST, "bearer_not_accepted",
            "Bad request: signing in starts a browser session; send it without an Authorization header "
                    + "(scripts get tokens from the token endpoint).");

    /**
     * How an endpoint is reached: the methods it answers, whether it reads a body, whether it needs
     * mail, whether it signs the browser in (never on a bearer request).
     */
    private record Route(Set<String> methods, boolean readsBody, boolean needsMail, boolean signsIn, Endpoint endpoint) {
        static Route signIn(Endpoint e) {
            return new Route(Set.of("POST"), true, false, true, e);
        }

        static Route mail(Endpoint e) {
            return new Route(Set.of("POST"), true, true, false, e);
        }

        String allow(boolean page) {
            return methods.contains("GET") ? "GET, HEAD" : page ? "GET, HEAD, POST" : "POST";
        }
    }

    private static final Map<String, Route> ROUTES = Map.ofEntries(
            Map.entry("/csrf", new Route(Set.of("GET", "HEAD"), false, false, false, CsrfEndpoint::handle)),
            Map.entry("/login", Route.signIn(LoginEndpoint::handle)),
            Map.entry("/register", Route.signIn(RegisterEndpoint::handle)),
            Map.entry("/login/mfa", Route.signIn(SecondFactorEndpoints::completeSignIn)),
            Map.entry("/login/enrol", Route.signIn(SecondFactorEndpoints::startRequiredEnrolment)),
            Map.entry("/login/enrol/confirm", Route.signIn(SecondFactorEndpoints::confirmRequiredEnrolment)),
            Map.entry("/mfa/totp", new Route(Set.of("POST"), true, false, false, SecondFactorEndpoints::startTotp)),
            Map.entry("/mfa/totp/confirm", new Route(Set.of("POST"), true, false, false, SecondFactorEndpoints::confirmTotp)),
            Map.entry("/reauthenticate", new Route(Set.of("POST"), true, false, false, SecondFactorEndpoints::reauthenticate)),
            Map.entry("/logout", new Route(Set.of("POST"), false, false, false, LogoutEndpoint::handle)),
            Map.entry("/verify-email", Route.mail(MailLinkEndpoints::verifyEmail)),
            Map.entry("/resend-verification", Route.mail(MailLinkEndpoints::resendVerification)),
            Map.entry("/forgot-password", Route.mail(MailLinkEndpoints::forgotPassword)),
            Map.entry("/reset-password", Route.mail(MailLinkEndpoints::resetPassword)),
            Map.entry("/email", Route.mail(MailLinkEndpoints::requestEmailChange)),
            Map.entry("/confirm-email", Route.mail(MailLinkEndpoints::confirmEmailChange)));

    /** Built on first use when the filter's settings ask for default pages ({@link AuthConfig.Builder#defaultPagesAt}). */
    private transient volatile DefaultPages pages;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Optional<RequestAuth> found = RequestAuth.of(request);
        if (found.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "AuthEndpointsServlet called without AuthFilter in front of it");
            ResponseWriter.write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, ResponseWriter.TEXT,
                    "Misconfigured: map AuthFilter to /* in front of AuthEndpointsServlet.\n");
            return;
        }
        RequestAuth auth = found.get();
        response.setHeader("Cache-Control", "no-store");
        String op = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean json = auth.wantsJson();
        try {
            boolean defaultPages = auth.runtime().config().defaultPagesPath().isPresent();
            boolean page = defaultPages && DefaultPages.PAGES.contains(op);
            String method = request.getMethod();
            if (defaultPages && (method.equals("GET") || method.equals("HEAD"))) {
                if (page) {
                    pages().render(op, request, response, auth);
                    return;
                }
                if (op.equals(DefaultPages.STYLESHEET)) {
                    pages().writeStylesheet(response);
                    return;
                }
            }
            Route route = ROUTES.get(op);
            if (route == null) {
                Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_NOT_FOUND, "not_found", "Not found."));
                return;
            }
            if (!route.methods().contains(request.getMethod())) {
                response.setHeader("Allow", route.allow(page));
                Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                        route.methods().contains("GET") ? "Use GET." : "Use POST."));
                return;
            }
            if (route.signsIn() && auth.bearer()) {
                Responses.refuse(response, json, BEARER_SIGN_IN);
                return;
            }
            Fields fields = Fields.NONE;
            if (route.readsBody()) {
                Optional<Fields> read = readFields(request, response, auth);
                if (read.isEmpty()) {
                    return;
                }
                fields = read.get();
            }
            if (route.needsMail() && !auth.runtime().core().mailEnabled()) {
                Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_NOT_FOUND, "not_found",
                        "Email features are not enabled in this application."));
                return;
            }
            route.endpoint().handle(new EndpointCall(request, response, auth, fields));
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "authentication store failed", e);
            Responses.refuse(response, json, ResultResponses.unavailable());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + op, e);
            Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                    "Something went wrong on our side."));
        }
    }

    private DefaultPages pages() {
        DefaultPages p = pages;
        if (p == null) {
            // Two first requests may both compile the templates; either result serves.
            p = new DefaultPages(getServletContext());
            pages = p;
        }
        return p;
    }

    /** The submitted fields; empty after an error answer has been written. */
    private static Optional<Fields> readFields(HttpServletRequest request, HttpServletResponse response, RequestAuth auth)
            throws IOException {
        Bodies.Body body = BODIES.read(request, auth.bodyKind());
        boolean json = auth.wantsJson();
        switch (body.outcome()) {
            case READ -> {
                return Optional.of(new Fields(body.fields()));
            }
            case UNSUPPORTED -> Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type", "Send application/x-www-form-urlencoded or application/json."));
            case TOO_LARGE -> Responses.refuse(response, json, Answer.of(413, "too_large", "The request body is too large."));
            case MALFORMED -> Responses.refuse(response, json, Answer.of(HttpServletResponse.SC_BAD_REQUEST, "malformed_request",
                    auth.bodyKind() == Bodies.Kind.JSON
                            ? "The body must be a JSON object whose members are strings, each named once." : "The form could not be read."));
        }
        return Optional.empty();
    }
}
