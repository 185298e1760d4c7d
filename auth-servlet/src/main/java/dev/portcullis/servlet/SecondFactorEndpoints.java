package dev.portcullis.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.model.SessionToken;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.SecondFactorResult;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
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
 */
final class SecondFactorEndpoints {

    static final Duration PENDING_LIFETIME = CodeStep.PENDING_LIFETIME;
    static final String CODE_STEP_FLAG = CodeStep.FLAG;

    private SecondFactorEndpoints() {
    }

    /** From {@link LoginEndpoint}: the password was right; the code step comes next. */
    static void secondStep(EndpointCall c, LoginResult.SecondFactorRequired pending, Answer answer)
            throws IOException, ServletException {
        Cookies.Jar jar = c.auth().cookies();
        jar.setPersistent(c.response(), jar.pendingName(), pending.handle(), PENDING_LIFETIME);
        if (c.json()) {
            answer.writeJson(c.response());
            return;
        }
        c.seeOther(CodeStep.page(c.config(), c.fields().get("next")));
    }

    /** {@code POST /login/mfa}: {@code code}, {@code next}, {@code remember_me}. */
    static void completeSignIn(EndpointCall c) throws IOException, ServletException {
        Cookies.Jar jar = c.auth().cookies();
        Optional<String> handle = Cookies.read(c.request(), jar.pendingName());
        WebAuth web = c.web();
        SecondFactorResult result = handle.isEmpty() ? new SecondFactorResult.InvalidHandle()
                : c.core().completeSignIn(handle.get(), c.fields().get("code"), c.clientAddress(), web.deviceToken());
        Answer answer = ResultResponses.secondFactor(result);
        if (result instanceof SecondFactorResult.Success s) {
            jar.clear(c.response(), jar.pendingName());
            web.rememberDevice(s.device());
            c.signIn(s.user(), s.session(), answer.code(), c.fields().rememberMe());
            return;
        }
        if (result instanceof SecondFactorResult.InvalidHandle) {
            jar.clear(c.response(), jar.pendingName());
            c.fail(c.config().pages().login(), answer);
            return;
        }
        c.fail(c.config().pages().login() + "?" + CODE_STEP_FLAG, answer);
    }

    /** {@code POST /mfa/totp}: JSON {@code {"status","otpauthUri","secret"}}. */
    static void startTotp(EndpointCall c) throws IOException, ServletException {
        Optional<SessionToken> session = c.web().session();
        EnrolmentStartResult result = session.isEmpty() ? new EnrolmentStartResult.NotAuthenticated()
                : c.core().startEnrolment(session.get(), c.clientAddress());
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
}
