package dev.portcullis.examples.webapp;

import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.mfa.FactorChangeResult;
import dev.portcullis.mfa.RecoveryCodes;
import dev.portcullis.mfa.TotpSetup;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.SessionToken;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.QrCodeSvg;
import dev.portcullis.servlet.ResultResponses;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The user's second factors (protected by the filter):
 * <ul>
 *   <li>{@code GET /mfa/totp}: starts an enrolment (each visit a new secret, replacing an unconfirmed
 *       one) and shows the {@code otpauth://} URI as text and as a QR code drawn here
 *       ({@link QrCodeSvg}, inline SVG: no image request, no other origin); {@code POST /mfa/totp}
 *       with {@code code} confirms it and shows the recovery codes once.</li>
 *   <li>{@code POST /mfa/totp/remove}, {@code POST /mfa/recovery-codes}: remove the app, renew the
 *       recovery codes (then shown once).</li>
 * </ul>
 * Every change is a sensitive action: without a recent sign-in the user is sent to
 * {@link ReauthServlet} and back.
 */
final class TwoFactorServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    TwoFactorServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SessionToken> session = browserSession(request, response);
        if (session.isEmpty()) {
            return;
        }
        CurrentUser me = AuthAttributes.currentUser(request).orElseThrow();
        switch (request.getServletPath()) {
            case "/mfa/totp" -> {
                EnrolmentStartResult result = portcullis().secondFactors().startEnrolment(session.get(),
                        WebAuth.of(request, response).clientAddress());
                if (result instanceof EnrolmentStartResult.Started started) {
                    Map<String, Object> model = setupModel(page(request, response), started.setup());
                    model.put("action", "/mfa/totp");
                    model.put("errors", Map.of());
                    render(response, 200, "totp", model);
                } else if (result instanceof EnrolmentStartResult.ReauthenticationRequired) {
                    reauthenticate(request, response, "/mfa/totp");
                } else if (result instanceof EnrolmentStartResult.AlreadyEnrolled) {
                    redirect(request, response, "/mfa");
                } else {
                    redirect(request, response, "/login?next=/mfa/totp");
                }
            }
            default -> error(request, response, 405, "Method not allowed", "Use the buttons on the two-factor page.");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SessionToken> session = browserSession(request, response);
        if (session.isEmpty()) {
            return;
        }
        String address = WebAuth.of(request, response).clientAddress();
        switch (request.getServletPath()) {
            case "/mfa/totp" -> {
                EnrolmentResult result = portcullis().secondFactors().confirmEnrolment(session.get(), param(request, "code"),
                        address);
                if (result instanceof EnrolmentResult.Enrolled enrolled) {
                    showRecoveryCodes(this, request, response, enrolled.recoveryCodes(), "/mfa");
                } else if (result instanceof EnrolmentResult.ReauthenticationRequired) {
                    reauthenticate(request, response, "/mfa/totp");
                } else if (result instanceof EnrolmentResult.NotAuthenticated) {
                    redirect(request, response, "/login?next=/mfa/totp");
                } else {
                    // Wrong or malformed code, throttled, or no enrolment started: the form again,
                    // without the secret (it is shown only once; a new visit starts afresh).
                    Answer answer = ResultResponses.enrolment(result);
                    String message = failed(response, answer);
                    Map<String, Object> model = page(request, response);
                    model.put("action", "/mfa/totp");
                    model.put("restart", "/mfa/totp");
                    model.put("errors", errors(answer.fields()));
                    model.put("message", message);
                    render(response, answer.status(), "totp", model);
                }
            }
            case "/mfa/totp/remove" -> change(request, response,
                    portcullis().secondFactors().removeAuthenticator(session.get(), address));
            case "/mfa/recovery-codes" -> change(request, response,
                    portcullis().secondFactors().regenerateRecoveryCodes(session.get(), address));
            default -> error(request, response, 404, "Not found", "There is no page at this address.");
        }
    }

    private void change(HttpServletRequest request, HttpServletResponse response, FactorChangeResult result)
            throws IOException {
        if (result instanceof FactorChangeResult.Changed changed) {
            if (changed.recoveryCodes().codes().isEmpty()) {
                app.flash().set(request, response, "mfa-removed");
                redirect(request, response, "/mfa");
            } else {
                showRecoveryCodes(this, request, response, changed.recoveryCodes(), "/mfa");
            }
        } else if (result instanceof FactorChangeResult.ReauthenticationRequired) {
            reauthenticate(request, response, "/mfa");
        } else if (result instanceof FactorChangeResult.NotEnrolled) {
            redirect(request, response, "/mfa");
        } else if (result instanceof FactorChangeResult.NotAuthenticated) {
            redirect(request, response, "/login?next=/mfa");
        } else {
            Answer answer = ResultResponses.factorChange(result);
            error(request, response, answer.status(), "Not possible", answer.message());
        }
    }

    /** Managing factors needs the browser session, never a bearer token or API key (403 otherwise). */
    private Optional<SessionToken> browserSession(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<SessionToken> session = WebAuth.of(request, response).session();
        if (session.isEmpty()) {
            error(request, response, 403, "Forbidden", "Log in with your browser to manage your account.");
        }
        return session;
    }

    /** The enrolment page's model: the URI and the secret as text, the QR code as SVG path data. */
    static Map<String, Object> setupModel(Map<String, Object> model, TotpSetup setup) {
        QrCodeSvg qr = QrCodeSvg.of(setup.uri());
        model.put("setup", Map.of("uri", setup.uri(), "secret", setup.secret(), "viewBox", qr.viewBox(),
                "path", qr.path(), "pixels", qr.pixels(), "size", qr.size()));
        return model;
    }

    /** The recovery codes, once, in {@code <ol id="recovery-codes">}; never stored in clear, never shown again. */
    static void showRecoveryCodes(AppServlet servlet, HttpServletRequest request, HttpServletResponse response,
                                  RecoveryCodes codes, String continueTo) throws IOException {
        Map<String, Object> model = servlet.page(request, response);
        model.put("codes", codes.codes());
        model.put("continueTo", continueTo);
        servlet.render(response, 200, "recovery-codes", model);
    }
}
