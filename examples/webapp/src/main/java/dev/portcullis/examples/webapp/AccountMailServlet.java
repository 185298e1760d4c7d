package dev.portcullis.examples.webapp;

import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.RawPassword;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The mailed-link flows: {@code /verify-email}, {@code /resend-verification},
 * {@code /forgot-password}, {@code /reset-password}, {@code /email}, {@code /confirm-email}.
 *
 * <p>A GET on a mailed link never spends its token: it shows a button that POSTs, so mail
 * scanners that prefetch links cannot consume it.
 */
final class AccountMailServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    AccountMailServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getServletPath()) {
            case "/verify-email" -> confirmPage(request, response, "Confirm your email address",
                    "Press the button to confirm that this address is yours.", "/verify-email", "Confirm my address");
            case "/confirm-email" -> confirmPage(request, response, "Confirm your new email address",
                    "Press the button to make this the address of your account.", "/confirm-email", "Confirm new address");
            case "/forgot-password" -> forgotForm(request, response, 200, "", Map.of());
            case "/reset-password" -> {
                String token = param(request, "token");
                if (!portcullis().passwordResets().isValid(token)) {
                    error(request, response, 410, "Link invalid or expired",
                            "This reset link is invalid, used or expired. Ask for a new one on the forgot-password page.");
                } else {
                    resetForm(request, response, 200, token, Map.of(), "");
                }
            }
            case "/email" -> emailForm(request, response, 200, "", Map.of());
            default -> error(request, response, 405, "Not allowed", "Use the form on the page.");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebAuth web = WebAuth.of(request, response);
        switch (request.getServletPath()) {
            case "/verify-email" -> {
                EmailVerificationResult result = portcullis().accounts().verifyEmail(param(request, "token"));
                app.flash().set(request, response, result instanceof EmailVerificationResult.Verified ? "verified" : "link-invalid");
                redirect(request, response, "/");
            }
            case "/resend-verification" -> {
                AuthAttributes.currentUser(request).map(CurrentUser::email)
                        .ifPresent(email -> portcullis().accounts().resendVerification(email.display(), WebAuth.of(request, response).clientAddress()));
                app.flash().set(request, response, "verification-resent");
                redirect(request, response, "/");
            }
            case "/forgot-password" -> {
                String email = param(request, "email");
                Answer answer = ResultResponses.passwordResetRequest(portcullis().passwordResets().request(email, web.clientAddress()));
                if (answer.isError()) {
                    failed(response, answer);
                    forgotForm(request, response, answer.status(), email, errors(answer.fields()));
                } else {
                    app.flash().set(request, response, "reset-sent");
                    redirect(request, response, "/login");
                }
            }
            case "/reset-password" -> reset(request, response, web);
            case "/email" -> {
                String email = param(request, "email");
                EmailChangeResult result = web.session()
                        .map(s -> portcullis().accounts().requestEmailChange(s, email,
                                RawPassword.of(param(request, "current_password")), web.clientAddress()))
                        .orElse(new EmailChangeResult.NotAuthenticated());
                if (result instanceof EmailChangeResult.ConfirmationSent) {
                    app.flash().set(request, response, "email-change-sent");
                    redirect(request, response, "/profile");
                } else if (result instanceof EmailChangeResult.NotAuthenticated) {
                    redirect(request, response, "/login?next=/email");
                } else if (result instanceof EmailChangeResult.ReauthenticationRequired) {
                    reauthenticate(request, response, "/email");
                } else {
                    // The form has no place for a sentence: a wait is shown under the password it is about.
                    Answer answer = ResultResponses.emailChangeRequest(result);
                    String message = failed(response, answer);
                    emailForm(request, response, answer.status(), email,
                            message.isEmpty() ? errors(answer.fields()) : Map.of("currentPassword", List.of(message)));
                    web.holdIfBusy(answer);
                }
            }
            case "/confirm-email" -> {
                ConfirmEmailChangeResult result = portcullis().accounts().confirmEmailChange(param(request, "token"), web.clientAddress());
                if (result instanceof ConfirmEmailChangeResult.Changed) {
                    web.endSession();
                    app.flash().set(request, response, "email-changed");
                    redirect(request, response, "/login");
                } else {
                    app.flash().set(request, response, result instanceof ConfirmEmailChangeResult.EmailTaken ? "email-taken" : "link-invalid");
                    redirect(request, response, "/");
                }
            }
            default -> error(request, response, 404, "Not found", "There is no page at this address.");
        }
    }

    private void reset(HttpServletRequest request, HttpServletResponse response, WebAuth web) throws IOException {
        String token = param(request, "token");
        PasswordResetResult result = portcullis().passwordResets().reset(token, RawPassword.of(param(request, "password")),
                RawPassword.of(param(request, "confirm_password")), web.clientAddress());
        if (result instanceof PasswordResetResult.Reset) {
            web.endSession();
            app.flash().set(request, response, "password-reset");
            redirect(request, response, "/login");
        } else if (result instanceof PasswordResetResult.InvalidOrExpired) {
            // A dead link gets this app's own page (410 Gone), as on GET.
            error(request, response, 410, "Link invalid or expired",
                    "This reset link is invalid, used or expired. Ask for a new one on the forgot-password page.");
        } else {
            Answer answer = ResultResponses.passwordReset(result);
            String message = failed(response, answer);
            resetForm(request, response, answer.status(), token, errors(answer.fields()), message);
            web.holdIfBusy(answer);
        }
    }

    private void confirmPage(HttpServletRequest request, HttpServletResponse response, String heading, String explain,
                             String action, String button) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("heading", heading);
        model.put("explain", explain);
        model.put("action", action);
        model.put("button", button);
        model.put("token", param(request, "token"));
        render(response, 200, "confirm-token", model);
    }

    private void forgotForm(HttpServletRequest request, HttpServletResponse response, int status, String email,
                            Map<String, ?> errors) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("email", email);
        model.put("errors", errors);
        render(response, status, "forgot-password", model);
    }

    private void resetForm(HttpServletRequest request, HttpServletResponse response, int status, String token,
                           Map<String, ?> errors, String message) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("token", token);
        model.put("errors", errors);
        model.put("message", message);
        render(response, status, "reset-password", model);
    }

    private void emailForm(HttpServletRequest request, HttpServletResponse response, int status, String email,
                           Map<String, ?> errors) throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("email", email);
        model.put("errors", errors);
        render(response, status, "email", model);
    }
}
