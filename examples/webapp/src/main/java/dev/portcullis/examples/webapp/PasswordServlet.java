package dev.portcullis.examples.webapp;

import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.PasswordChange;

import dev.portcullis.model.RawPassword;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** {@code GET|POST /password} (protected): current, new and repeated password. */
final class PasswordServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    PasswordServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        // With a second factor, the current password alone is not enough after the step-up window:
        // ask for both first, rather than after the user has typed the new password twice.
        if (web.session().isPresent() && web.currentUser().isPresent()
                && portcullis().secondFactors().status(web.currentUser().get().id()).authenticatorApp()
                && !portcullis().sessions().recentlyAuthenticated(web.session().get())) {
            reauthenticate(request, response, "/password");
            return;
        }
        form(request, response, 200, Map.of(), "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        if (web.session().isEmpty()) {
            redirect(request, response, "/login?next=/password");
            return;
        }
        ChangePasswordResult result = portcullis().accounts().changePassword(web.session().get(), new PasswordChange(
                RawPassword.of(param(request, "current_password")), RawPassword.of(param(request, "new_password")),
                RawPassword.of(param(request, "confirm_password"))), web.clientAddress());
        if (result instanceof ChangePasswordResult.Changed changed) {
            web.startSession(changed.session());
            app.flash().set(request, response, "password-changed");
            redirect(request, response, "/profile");
        } else if (result instanceof ChangePasswordResult.NotAuthenticated) {
            redirect(request, response, "/login?next=/password");
        } else if (result instanceof ChangePasswordResult.ReauthenticationRequired) {
            reauthenticate(request, response, "/password");
        } else {
            Answer answer = ResultResponses.passwordChange(result);
            String message = failed(response, answer);
            form(request, response, answer.status(), errors(answer.fields()), message);
            web.holdIfBusy(answer);
        }
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, Map<String, ?> errors,
                      String message) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("errors", errors);
        model.put("message", message);
        render(response, status, "password", model);
    }
}
