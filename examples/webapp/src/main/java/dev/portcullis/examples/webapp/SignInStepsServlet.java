package dev.portcullis.examples.webapp;

import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.SafeRedirects;
import dev.portcullis.servlet.WebAuth;
import dev.portcullis.session.SecondFactorResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of a sign-in after a right password, for an account with a second factor: the pending
 * sign-in handle is in the HttpOnly cookie {@link LoginServlet} set ({@link WebAuth#pendingSignIn()}).
 *
 * <ul>
 *   <li>{@code GET|POST /login/mfa}: one field {@code code}, a code of the authenticator app or a
 *       recovery code (spaces, dashes and case do not matter); success continues to {@code next}.</li>
 *   <li>{@code GET|POST /login/enrol}: for a user whose roles require a second factor and who has
 *       none ({@code LoginResult.EnrolmentRequired}): the QR code, then the first code signs them in
 *       and shows the recovery codes once.</li>
 * </ul>
 * A handle that is gone (expired after 5 minutes, used, 5 wrong codes, the password changed) sends
 * the user back to the password form with a clear message.
 */
final class SignInStepsServlet extends AppServlet {

    private static final long serialVersionUID = 1L;
    static final String CODE_PATH = "/login/mfa";
    static final String ENROL_PATH = "/login/enrol";

    SignInStepsServlet(App app) {
        super(app);
    }

    /** {@code ?next=…&remember_me=1}, or less: carried from the password form to the code step. */
    static String query(String next, boolean rememberMe) {
        StringBuilder q = new StringBuilder();
        if (!next.isEmpty()) {
            q.append("?next=").append(encode(next));
        }
        if (rememberMe) {
            q.append(q.length() == 0 ? '?' : '&').append("remember_me=1");
        }
        return q.toString();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        Optional<String> handle = web.pendingSignIn();
        if (handle.isEmpty()) {
            expired(request, response, web);
            return;
        }
        if (request.getServletPath().equals(CODE_PATH)) {
            codeForm(request, response, 200, Map.of(), "");
            return;
        }
        EnrolmentStartResult started = portcullis().secondFactors().startEnrolment(handle.get());
        if (started instanceof EnrolmentStartResult.Started s) {
            Map<String, Object> model = TwoFactorServlet.setupModel(page(request, response), s.setup());
            enrolForm(request, response, 200, model, Map.of(), "");
        } else {
            expired(request, response, web);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        Optional<String> handle = web.pendingSignIn();
        if (handle.isEmpty()) {
            expired(request, response, web);
            return;
        }
        if (request.getServletPath().equals(CODE_PATH)) {
            SecondFactorResult result = portcullis().sessions().completeSignIn(handle.get(), param(request, "code"),
                    web.clientAddress(), web.deviceToken());
            if (result instanceof SecondFactorResult.Success ok) {
                web.clearPendingSignIn();
                web.startSession(ok.user(), ok.session());
                web.rememberDevice(ok.device());
                if (!param(request, "remember_me").isEmpty()) {
                    web.rememberMe();
                }
                app.flash().set(request, response, "logged-in");
                redirect(request, response, next(request).isEmpty() ? "/" : next(request));
            } else if (result instanceof SecondFactorResult.InvalidHandle) {
                expired(request, response, web);
            } else {
                // Wrong, replayed or malformed code (401, 422), or codes throttled (429 + Retry-After).
                Answer answer = ResultResponses.secondFactor(result);
                String message = failed(response, answer);
                codeForm(request, response, answer.status(), errors(answer.fields()), message);
            }
            return;
        }
        EnrolmentResult result = portcullis().secondFactors().confirmEnrolment(handle.get(), param(request, "code"),
                web.clientAddress(), web.deviceToken());
        if (result instanceof EnrolmentResult.SignedIn ok) {
            web.clearPendingSignIn();
            web.startSession(ok.user(), ok.session());
            web.rememberDevice(ok.device());
            if (!param(request, "remember_me").isEmpty()) {
                web.rememberMe();
            }
            TwoFactorServlet.showRecoveryCodes(this, request, response, ok.recoveryCodes(),
                    next(request).isEmpty() ? "/" : next(request));
        } else if (result instanceof EnrolmentResult.NotAuthenticated) {
            expired(request, response, web);
        } else {
            Answer answer = ResultResponses.enrolment(result);
            String message = failed(response, answer);
            enrolForm(request, response, answer.status(), page(request, response), errors(answer.fields()), message);
        }
    }

    private static String next(HttpServletRequest request) {
        return SafeRedirects.sanitize(param(request, "next"), "");
    }

    private void codeForm(HttpServletRequest request, HttpServletResponse response, int status, Map<String, ?> errors,
                          String message) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("next", next(request));
        model.put("rememberMe", !param(request, "remember_me").isEmpty());
        model.put("errors", errors);
        model.put("message", message);
        model.put("passkeysEnabled", portcullis().passkeys().enabled()); // a passkey answers the code step too
        render(response, status, "login-code", model);
    }

    private void enrolForm(HttpServletRequest request, HttpServletResponse response, int status, Map<String, Object> model,
                           Map<String, ?> errors, String message) throws IOException {
        model.put("action", ENROL_PATH);
        model.put("restart", ENROL_PATH + query(next(request), !param(request, "remember_me").isEmpty()));
        model.put("required", true);
        model.put("next", next(request));
        model.put("rememberMe", !param(request, "remember_me").isEmpty());
        model.put("errors", errors);
        model.put("message", message);
        render(response, status, "totp", model);
    }

    /** No usable pending sign-in: the password form again, saying why (401). */
    private void expired(HttpServletRequest request, HttpServletResponse response, WebAuth web) throws IOException {
        web.clearPendingSignIn();
        Answer answer = ResultResponses.secondFactor(new SecondFactorResult.InvalidHandle());
        Map<String, Object> model = page(request, response);
        model.put("email", "");
        model.put("next", next(request));
        model.put("errors", Map.of());
        model.put("message", answer.message());
        render(response, answer.status(), "login", model);
    }
}
