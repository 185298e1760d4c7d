package dev.portcullis.servlet;

import dev.portcullis.session.LoginResult;

import jakarta.servlet.ServletException;
import java.io.IOException;

/** {@code POST /login}: {@code email}, {@code password}, {@code remember_me}, {@code next}. */
final class LoginEndpoint {

    private LoginEndpoint() {
    }

    /** The browser's device cookie, if any, goes with the credentials; a success sets a fresh one. */
    static void handle(EndpointCall c) throws IOException, ServletException {
        Fields f = c.fields();
        WebAuth web = c.web();
        LoginResult result = c.core().login(f.get("email"), f.password("password"), c.clientAddress(), web.deviceToken());
        Answer answer = ResultResponses.login(result);
        if (result instanceof LoginResult.Success s) {
            web.rememberDevice(s.device());
            c.signIn(s.user(), s.session(), answer.code(), f.rememberMe());
        } else if (result instanceof LoginResult.SecondFactorRequired pending) {
            SecondFactorEndpoints.secondStep(c, pending, answer);
        } else if (result instanceof LoginResult.EnrolmentRequired pending) {
            // 403 mfa_enrolment_required as before, now with the handle in the pending cookie, so
            // the client can set up the factor through /login/enrol and /login/enrol/confirm.
            web.holdPendingSignIn(pending.handle());
            c.fail(c.config().pages().login(), answer);
        } else {
            c.fail(c.config().pages().login(), answer); // a busy answer is held there
        }
    }
}
