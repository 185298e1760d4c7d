package dev.portcullis.examples.webapp;

import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;

import dev.portcullis.model.RawPassword;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** {@code GET|POST /register}: fields {@code email}, {@code password}, {@code confirm_password}. */
final class RegisterServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    RegisterServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        form(request, response, 200, "", Map.of(), "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        String email = param(request, "email");
        RegistrationResult result = portcullis().accounts().register(new Registration(email,
                RawPassword.of(param(request, "password")), RawPassword.of(param(request, "confirm_password"))),
                web.clientAddress());
        if (result instanceof RegistrationResult.Registered registered) {
            web.startSession(registered.session());
            app.flash().set(request, response, "welcome");
            redirect(request, response, "/");
        } else if (result instanceof RegistrationResult.VerificationSent) {
            app.flash().set(request, response, "check-inbox");
            redirect(request, response, "/");
        } else {
            Answer answer = ResultResponses.registration(result);
            String message = failed(response, answer);
            form(request, response, answer.status(), email, errors(answer.fields()), message);
            web.holdIfBusy(answer);
        }
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String email,
                      Map<String, ?> errors, String message) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("email", email);
        model.put("errors", errors);
        model.put("message", message);
        model.put("minLength", portcullis().accounts().passwordPolicy().minLength());
        render(response, status, "register", model);
    }
}
