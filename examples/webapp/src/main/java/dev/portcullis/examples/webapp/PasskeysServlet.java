package dev.portcullis.examples.webapp;

import dev.portcullis.model.SessionToken;
import dev.portcullis.passkey.PasskeyChangeResult;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /mfa/passkeys/rename} (fields {@code id}, {@code name}) and
 * {@code POST /mfa/passkeys/delete} (field {@code id}), the forms of the passkey list on
 * {@code /mfa}. Adding a passkey and signing in with one are the browser's ceremonies, run by the
 * library's script against {@code /auth/passkeys/*}. A delete needs a recent sign-in, and the last
 * passkey of an account without a password stays (the library refuses it).
 */
final class PasskeysServlet extends AppServlet {

    private static final long serialVersionUID = 1L;
    /** Until the app has a page to confirm it is you, a fresh sign-in is the way to a recent proof. */
    static final String SIGN_IN_AGAIN = "For your security, adding or removing a passkey needs a recent sign-in: "
            + "log out, log in again (with your password or a passkey), then retry.";

    private final transient MfaServlet page;

    PasskeysServlet(App app, MfaServlet page) {
        super(app);
        this.page = page;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SessionToken> session = WebAuth.of(request, response).session();
        if (session.isEmpty()) {
            // Managing credentials needs the browser session, never a bearer token or API key.
            error(request, response, 403, "Forbidden", "Log in with your browser to manage your passkeys.");
            return;
        }
        if (!portcullis().passkeys().enabled()) {
            error(request, response, 404, "Not found", "Passkeys are not enabled in this application.");
            return;
        }
        String op = request.getPathInfo() == null ? "" : request.getPathInfo();
        String id = param(request, "id");
        PasskeyChangeResult result;
        String done;
        switch (op) {
            case "/rename" -> {
                result = portcullis().passkeys().rename(session.get(), id, param(request, "name"));
                done = "passkey-renamed";
            }
            case "/delete" -> {
                result = portcullis().passkeys().delete(session.get(), id, WebAuth.of(request, response).clientAddress());
                done = "passkey-deleted";
            }
            default -> {
                error(request, response, 404, "Not found", "There is no page at this address.");
                return;
            }
        }
        if (result instanceof PasskeyChangeResult.Done) {
            app.flash().set(request, response, done);
            redirect(request, response, "/mfa");
            return;
        }
        Answer answer = ResultResponses.passkeyChange(result);
        String message = failed(response, answer);
        if (result instanceof PasskeyChangeResult.ReauthenticationRequired) {
            if (portcullis().identities().hasPassword(AuthAttributes.currentUser(request).orElseThrow().id())) {
                reauthenticate(request, response, "/mfa"); // the step-up page, then back here
                return;
            }
            message = SIGN_IN_AGAIN; // no password to prove at /reauth: a fresh passkey sign-in is the proof
        }
        page.show(request, response, answer.status(),
                Optional.of(new PasskeySection.Notice(message, errors(answer.fields()), id)));
    }
}
