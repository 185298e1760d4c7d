package dev.portcullis.examples.webapp;

import dev.portcullis.model.Credentials;
import dev.portcullis.session.LoginResult;

import dev.portcullis.model.RawPassword;
import dev.portcullis.servlet.AuthAttributes;
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
        form(request, response, 200, "", next, Map.of(), "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        String email = param(request, "email");
        String next = SafeRedirects.sanitize(param(request, "next"), "");
        LoginResult result = portcullis().sessions().login(new Credentials(email, RawPassword.of(param(request, "password"))),
                web.clientAddress());
        if (result instanceof LoginResult.Success success) {
            web.startSession(success.session());
            if (!param(request, "remember_me").isEmpty()) {
                web.rememberMe();
            }
            Flash.set(request, response, "logged-in");
            redirect(request, response, next.isEmpty() ? "/" : next);
        } else if (result instanceof LoginResult.Invalid invalid) {
            form(request, response, 422, email, next, errors(invalid.errors()), "");
        } else if (result instanceof LoginResult.InvalidCredentials wrong) {
            form(request, response, 401, email, next, Map.of(), wrong.message());
        } else if (result instanceof LoginResult.Throttled throttled) {
            retryAfter(response, throttled.retryAfter());
            form(request, response, 429, email, next, Map.of(), retryMessage(throttled.retryAfter()));
        } else if (result instanceof LoginResult.EmailNotVerified) {
            form(request, response, 403, email, next, Map.of(),
                    "Please confirm your email address first: follow the link we sent you.");
        } else if (result instanceof LoginResult.Busy busy) {
            retryAfter(response, busy.retryAfter());
            form(request, response, 503, email, next, Map.of(), "We are very busy right now. Please try again in a moment.");
        }
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String email, String next,
                      Map<String, ?> errors, String message) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("email", email);
        model.put("next", next);
        model.put("errors", errors);
        model.put("message", message);
        render(response, status, "login", model);
    }
}
