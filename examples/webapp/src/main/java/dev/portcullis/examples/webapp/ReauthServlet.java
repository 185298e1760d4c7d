package dev.portcullis.examples.webapp;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.SafeRedirects;
import dev.portcullis.servlet.WebAuth;
import dev.portcullis.session.ReauthenticationResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /reauth?next=…} (protected): step-up before a sensitive action. Asks for the
 * password and, when the account has an authenticator app, a code (or a recovery code); both are
 * recorded in the session as fresh proofs ({@code Sessions.reauthenticate},
 * {@code reauthenticateSecondFactor}), then the user goes back to {@code next} and retries.
 * The password is counted on the password's throttle, the code on the codes'.
 */
final class ReauthServlet extends AppServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/reauth";

    ReauthServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (session(request, response).isPresent()) {
            form(request, response, 200, Map.of(), "");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SessionToken> session = session(request, response);
        if (session.isEmpty()) {
            return;
        }
        WebAuth web = WebAuth.of(request, response);
        ReauthenticationResult result = portcullis().sessions().reauthenticate(session.get(),
                RawPassword.of(param(request, "password")), web.clientAddress());
        if (result instanceof ReauthenticationResult.Reauthenticated r && !r.complete()) {
            // The password was right; the second factor is still to prove.
            result = portcullis().sessions().reauthenticateSecondFactor(session.get(), param(request, "code"),
                    web.clientAddress(), web.deviceToken());
        }
        if (result instanceof ReauthenticationResult.Reauthenticated r && r.complete()) {
            app.flash().set(request, response, "reauthenticated");
            redirect(request, response, next(request));
        } else if (result instanceof ReauthenticationResult.NotAuthenticated) {
            redirect(request, response, "/login?next=" + encode(next(request)));
        } else {
            Answer answer = ResultResponses.reauthentication(result);
            String message = failed(response, answer);
            form(request, response, answer.status(), errors(answer.fields()), message);
            web.holdIfBusy(answer);
        }
    }

    private static String next(HttpServletRequest request) {
        return SafeRedirects.sanitize(param(request, "next"), "/profile");
    }

    private Optional<SessionToken> session(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SessionToken> session = WebAuth.of(request, response).session();
        if (session.isEmpty()) {
            error(request, response, 403, "Forbidden", "Log in with your browser to confirm it is you.");
        }
        return session;
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, Map<String, ?> errors,
                      String message) throws IOException {
        Map<String, Object> model = page(request, response);
        CurrentUser me = WebAuth.of(request, response).currentUser().orElseThrow();
        model.put("needsCode", portcullis().secondFactors().status(me.id()).authenticatorApp());
        model.put("next", next(request));
        model.put("errors", errors);
        model.put("message", message);
        render(response, status, "reauth", model);
    }
}
