package dev.portcullis.examples.webapp;

import dev.portcullis.model.Credentials;
import dev.portcullis.session.LoginResult;

import dev.portcullis.model.RawPassword;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.SafeRedirects;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET|POST /login}: fields {@code email}, {@code password}, optional {@code remember_me},
 * optional {@code next} (followed only when it is a same-site relative path).
 */
final class LoginServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    LoginServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = SafeRedirects.sanitize(param(request, "next"), "");
        if (AuthAttributes.currentUser(request).isPresent()) {
            redirect(request, response, next.isEmpty() ? "/" : next);
            return;
        }
        if (request.getParameter("second-factor") != null) {
            // The library's code step (an OpenID Connect sign-in of an enrolled account): this app's page for it.
            redirect(request, response, SignInStepsServlet.CODE_PATH + SignInStepsServlet.query(next, false));
            return;
        }
        form(request, response, 200, "", next, Map.of(), "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        String email = param(request, "email");
        String next = SafeRedirects.sanitize(param(request, "next"), "");
        // The browser's device cookie, if it has one, gives it its own throttling budget.
        LoginResult result = portcullis().sessions().login(new Credentials(email, RawPassword.of(param(request, "password"))),
                web.clientAddress(), web.deviceToken());
        if (result instanceof LoginResult.Success success) {
            web.startSession(success.user(), success.session());
            web.rememberDevice(success.device());
            if (!param(request, "remember_me").isEmpty()) {
                web.rememberMe();
            }
            app.flash().set(request, response, "logged-in");
            redirect(request, response, next.isEmpty() ? "/" : next);
        } else if (result instanceof LoginResult.SecondFactorRequired pending) {
            // No session yet: the handle waits in an HttpOnly cookie (never in the URL) for the code.
            web.holdPendingSignIn(pending.handle());
            redirect(request, response, SignInStepsServlet.CODE_PATH + SignInStepsServlet.query(next,
                    !param(request, "remember_me").isEmpty()));
        } else if (result instanceof LoginResult.EnrolmentRequired pending) {
            // The policy requires a second factor for this user's roles: set one up before signing in.
            web.holdPendingSignIn(pending.handle());
            redirect(request, response, SignInStepsServlet.ENROL_PATH + SignInStepsServlet.query(next,
                    !param(request, "remember_me").isEmpty()));
        } else {
            Answer answer = ResultResponses.login(result);
            String message = failed(response, answer);
            form(request, response, answer.status(), email, next, errors(answer.fields()), message);
            // Busy (every hashing slot taken): the page goes out now, the connection waits out Retry-After.
            web.holdIfBusy(answer);
        }
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String email, String next,
                      Map<String, ?> errors, String message) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("email", email);
        model.put("next", next);
        model.put("errors", errors);
        model.put("message", message);
        // "Sign in with a passkey", and passkeys in the email field's autofill (conditional mediation).
        model.put("passkeysEnabled", portcullis().passkeys().enabled());
        model.putAll(app.oidc().loginModel(next));
        render(response, status, "login", model);
    }
}
