package dev.portcullis.servlet;

import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.PasswordResetResult;

import dev.portcullis.model.SessionToken;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The endpoints of the mail flows: {@code /verify-email}, {@code /resend-verification},
 * {@code /forgot-password}, {@code /reset-password}, {@code /email} and {@code /confirm-email}.
 * The router answers 404 for them when the core sends no mail.
 */
final class MailLinkEndpoints {

    private MailLinkEndpoints() {
    }

    /** {@code token}. */
    static void verifyEmail(EndpointCall c) throws IOException, ServletException {
        Answer answer = ResultResponses.emailVerification(c.core().verifyEmail(c.fields().get("token")));
        if (answer.isError()) {
            c.fail(c.config().pages().verifyEmail(), answer);
        } else {
            c.done(answer, c.config().pages().emailVerified());
        }
    }

    /** {@code email}; the same answer whether or not the account exists. */
    static void resendVerification(EndpointCall c) throws IOException, ServletException {
        Answer answer = ResultResponses.verificationResend(c.core().resendVerification(c.fields().get("email"), c.clientAddress()));
        if (answer.isError()) {
            c.fail(c.config().pages().verifyEmail(), answer);
        } else {
            c.done(answer, c.config().pages().verificationSent());
        }
    }

    /** {@code email}; the same answer whether or not an account exists: the core does the lookup off the request thread. */
    static void forgotPassword(EndpointCall c) throws IOException, ServletException {
        Answer answer = ResultResponses.passwordResetRequest(c.core().requestPasswordReset(c.fields().get("email"), c.clientAddress()));
        if (answer.isError()) {
            c.fail(c.config().pages().forgotPassword(), answer);
        } else {
            c.done(answer, c.config().pages().resetRequested());
        }
    }

    /** {@code token}, {@code password}, {@code confirm_password}. */
    static void resetPassword(EndpointCall c) throws IOException, ServletException {
        Fields f = c.fields();
        PasswordResetResult result = c.core().resetPassword(f.get("token"), f.password("password"), f.confirmPassword(),
                c.clientAddress());
        Answer answer = ResultResponses.passwordReset(result);
        if (result instanceof PasswordResetResult.Reset) {
            endBrowserSession(c); // the core revoked every session and remember-me token of the user
            c.done(answer, c.config().pages().passwordReset());
        } else {
            c.fail(c.config().pages().resetPassword(), answer);
        }
    }

    /** {@code email} (the new address), {@code current_password}; requires login. */
    static void requestEmailChange(EndpointCall c) throws IOException, ServletException {
        Optional<SessionToken> session = c.auth().session();
        EmailChangeResult result = session.isEmpty() ? new EmailChangeResult.NotAuthenticated()
                : c.core().requestEmailChange(session.get(), c.fields().get("email"), c.fields().currentPassword(), c.clientAddress());
        Answer answer = ResultResponses.emailChangeRequest(result);
        if (result instanceof EmailChangeResult.ConfirmationSent) {
            c.done(answer, c.config().pages().emailChangeRequested());
        } else if (result instanceof EmailChangeResult.NotAuthenticated && c.json()) {
            c.response().setHeader("WWW-Authenticate", Responses.SESSION_CHALLENGE);
            answer.writeJson(c.response());
        } else if (result instanceof EmailChangeResult.NotAuthenticated) {
            String login = c.config().pages().login();
            c.seeOther(login + (login.contains("?") ? "&" : "?") + "next="
                    + URLEncoder.encode(c.config().pages().emailChange(), StandardCharsets.UTF_8));
        } else {
            c.fail(c.config().pages().emailChange(), answer);
        }
    }

    /** {@code token}. */
    static void confirmEmailChange(EndpointCall c) throws IOException, ServletException {
        ConfirmEmailChangeResult result = c.core().confirmEmailChange(c.fields().get("token"), c.clientAddress());
        Answer answer = ResultResponses.emailChangeConfirmation(result);
        if (result instanceof ConfirmEmailChangeResult.Changed) {
            endBrowserSession(c); // the core ended every session of the user
            c.done(answer, c.config().pages().emailChanged());
        } else {
            c.fail(c.config().pages().confirmEmail(), answer);
        }
    }

    /** Expires this browser's cookies when it held a session or remember-me token (already revoked in the core). */
    private static void endBrowserSession(EndpointCall c) {
        if (c.auth().session().isPresent() || c.auth().rememberMe().isPresent()) {
            c.web().endSession();
        }
    }
}
