package dev.portcullis.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.model.SessionToken;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.ReauthenticationResult;
import dev.portcullis.session.SecondFactorResult;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The second step of a sign-in and the authenticator-app enrolment.
 *
 * <p>After a right password for an account with a second factor, {@link LoginEndpoint} keeps the
 * pending sign-in handle in an HttpOnly cookie ({@value Cookies#PENDING_NAME}, 5 minutes; never in
 * a URL, where logs and {@code Referer} would keep it) and sends a form to the login page with
 * {@code ?second-factor} (JSON: 401 {@code mfa_required}). {@code POST /login/mfa} with
 * {@code code} (an authenticator code or a recovery code) completes it through the core's one
 * sign-in completion; the cookie is spent either way once the core refuses the handle.
 *
 * <p>{@code POST /mfa/totp} (signed in, recently authenticated) starts an enrolment and answers
 * JSON with the {@code otpauth://} URI and the secret, once; {@code POST /mfa/totp/confirm} with
 * {@code code} turns it on and answers the recovery codes, once.
 *
 * <p>{@code POST /reauthenticate} (step-up) with {@code password} and, for an account with a second
 * factor, {@code code}, records fresh proofs in the session, so that the sensitive action that
 * answered {@code reauthentication_required} can be retried.
 */
final class SecondFactorEndpoints {

    static final String CODE_STEP_FLAG = CodeStep.FLAG;

    private SecondFactorEndpoints() {
    }

    /** From {@link LoginEndpoint}: the password was right; the code step comes next. */
    static void secondStep(EndpointCall c, LoginResult.SecondFactorRequired pending, Answer answer)
            throws IOException, ServletException {
        c.web().holdPendingSignIn(pending.handle());
        if (c.json()) {
            answer.writeJson(c.response());
            return;
        }
        c.seeOther(CodeStep.page(c.config(), c.fields().get("next")));
    }

    /** {@code POST /login/mfa}: {@code code}, {@code next}, {@code remember_me}. */
    static void completeSignIn(EndpointCall c) throws IOException, ServletException {
        WebAuth web = c.web();
        Optional<String> handle = web.pendingSignIn();
        SecondFactorResult result = handle.isEmpty() ? new SecondFactorResult.InvalidHandle()
                : c.core().completeSignIn(handle.get(), c.fields().get("code"), c.clientAddress(), web.deviceToken());
        Answer answer = ResultResponses.secondFactor(result);
        if (result instanceof SecondFactorResult.Success s) {
            web.clearPendingSignIn();
            web.rememberDevice(s.device());
            c.signIn(s.user(), s.session(), answer.code(), c.fields().rememberMe());
            return;
        }
        if (result instanceof SecondFactorResult.InvalidHandle) {
            web.clearPendingSignIn();
            c.fail(c.config().pages().login(), answer);
            return;
        }
        c.fail(c.config().pages().login() + "?" + CODE_STEP_FLAG, answer);
    }

    /** {@code POST /mfa/totp}: JSON {@code {"status","otpauthUri","secret"}}. */
    static void startTotp(EndpointCall c) throws IOException, ServletException {
        Optional<SessionToken> session = c.web().session();
        startAnswer(c, session.isEmpty() ? new EnrolmentStartResult.NotAuthenticated()
                : c.core().startEnrolment(session.get(), c.clientAddress()));
    }

    /**
     * {@code POST /login/enrol}: the enrolment a role's policy requires after a right password
     * ({@code LoginResult.EnrolmentRequired}, whose handle the pending cookie holds); JSON as
     * {@code /mfa/totp}.
     */
    static void startRequiredEnrolment(EndpointCall c) throws IOException, ServletException {
        Optional<String> handle = c.web().pendingSignIn();
        startAnswer(c, handle.isEmpty() ? new EnrolmentStartResult.NotAuthenticated()
                : c.core().startEnrolment(handle.get()));
    }

    /**
     * {@code POST /login/enrol/confirm} (JSON only, 415 otherwise): {@code code}, {@code remember_me}.
     * The first code turns the factor on and signs in with both factors; the answer carries the
     * user, a fresh CSRF token and {@code "recoveryCodes":[…]}, to show once.
     */
    static void confirmRequiredEnrolment(EndpointCall c) throws IOException, ServletException {
        WebAuth web = c.web();
        if (!c.json()) {
            // The answer carries the recovery codes, shown once: a redirect would lose them.
            Responses.refuse(c.response(), false, Answer.of(415, "json_required",
                    "Send this as JSON: the answer carries the recovery codes."));
            return;
        }
        Optional<String> handle = web.pendingSignIn();
        EnrolmentResult result = handle.isEmpty() ? new EnrolmentResult.NotAuthenticated()
                : c.core().confirmEnrolment(handle.get(), c.fields().get("code"), c.clientAddress(), web.deviceToken());
        Answer answer = ResultResponses.enrolment(result);
        if (result instanceof EnrolmentResult.SignedIn s) {
            web.clearPendingSignIn();
            web.rememberDevice(s.device());
            web.startSession(s.user(), s.session());
            if (c.fields().rememberMe()) {
                web.rememberMe();
            }
            ObjectNode body = Json.object().put("status", answer.code()).put("message", answer.message())
                    .put("csrfToken", web.csrfToken());
            body.putObject("user").put("id", s.user().id().value()).put("email", s.user().email().display());
            ArrayNode codes = body.putArray("recoveryCodes");
            s.recoveryCodes().codes().forEach(codes::add);
            ResponseWriter.write(c.response(), HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
            return;
        }
        if (result instanceof EnrolmentResult.NotAuthenticated) {
            web.clearPendingSignIn();
        }
        Responses.refuse(c.response(), c.json(), answer);
    }

    private static void startAnswer(EndpointCall c, EnrolmentStartResult result) throws IOException {
        Answer answer = ResultResponses.enrolmentStart(result);
        if (result instanceof EnrolmentStartResult.Started s) {
            ObjectNode body = Json.object().put("status", answer.code()).put("message", answer.message())
                    .put("otpauthUri", s.setup().uri()).put("secret", s.setup().secret());
            ResponseWriter.write(c.response(), HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
            return;
        }
        answer.writeJson(c.response());
    }

    /** {@code POST /mfa/totp/confirm}: {@code code}; JSON {@code {"status","recoveryCodes":[…]}}. */
    static void confirmTotp(EndpointCall c) throws IOException, ServletException {
        Optional<SessionToken> session = c.web().session();
        EnrolmentResult result = session.isEmpty() ? new EnrolmentResult.NotAuthenticated()
                : c.core().confirmEnrolment(session.get(), c.fields().get("code"), c.clientAddress());
        Answer answer = ResultResponses.enrolment(result);
        if (result instanceof EnrolmentResult.Enrolled e) {
            ObjectNode body = Json.object().put("status", answer.code()).put("message", answer.message());
            ArrayNode codes = body.putArray("recoveryCodes");
            e.recoveryCodes().codes().forEach(codes::add);
            ResponseWriter.write(c.response(), HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(body));
            return;
        }
        answer.writeJson(c.response());
    }

    /**
     * {@code POST /reauthenticate}: {@code password}, {@code code} (either may come alone when the
     * other factor is still fresh), {@code next}. JSON {@code {"status":"reauthenticated"}} or a 303
     * to {@code next}; 401 {@code reauthentication_incomplete} while a factor is still stale,
     * {@code invalid_credentials}, {@code invalid_code}, 422, 429 and 503 as for a login.
     */
    static void reauthenticate(EndpointCall c) throws IOException, ServletException {
        WebAuth web = c.web();
        Optional<SessionToken> session = web.session();
        if (session.isEmpty()) {
            Responses.refuse(c.response(), c.json(), ResultResponses.unauthenticated());
            return;
        }
        String password = c.fields().get("password");
        String code = c.fields().get("code");
        boolean withCode = code != null && !code.isEmpty();
        ReauthenticationResult result;
        if (withCode && (password == null || password.isEmpty())) {
            result = c.core().reauthenticateSecondFactor(session.get(), code, c.clientAddress(), web.deviceToken());
        } else {
            result = c.core().reauthenticate(session.get(), c.fields().password("password"), c.clientAddress());
            if (withCode && result instanceof ReauthenticationResult.Reauthenticated r && !r.complete()) {
                result = c.core().reauthenticateSecondFactor(session.get(), code, c.clientAddress(), web.deviceToken());
            }
        }
        Answer answer = ResultResponses.reauthentication(result);
        if (result instanceof ReauthenticationResult.Reauthenticated r && r.complete()) {
            c.done(answer, SafeRedirects.sanitize(c.fields().get("next"), c.config().pages().afterLogin()));
            return;
        }
        Responses.refuse(c.response(), c.json(), answer);
    }
}
