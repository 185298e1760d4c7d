package dev.portcullis.examples.webapp;

import dev.portcullis.mfa.FactorStatus;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /mfa} (protected by the filter): the account's sign-in methods beyond the password.
 * One section per kind of method, each its own partial of {@code mfa.mustache}: the authenticator
 * app and the recovery codes ({@link TwoFactorServlet} serves their forms), and the passkeys
 * ({@link PasskeySection}: "Add a passkey" and the list with rename and delete).
 */
final class MfaServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    MfaServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        show(request, response, 200, Optional.empty());
    }

    /** The page, with the notice of a failed passkey form post when there is one. */
    void show(HttpServletRequest request, HttpServletResponse response, int status,
              Optional<PasskeySection.Notice> passkeyNotice) throws IOException {
        Map<String, Object> model = page(request, response);
        CurrentUser me = AuthAttributes.currentUser(request).orElseThrow(); // the filter protects /mfa
        FactorStatus factors = portcullis().secondFactors().status(me.id());
        model.put("totp", factors.authenticatorApp());
        model.put("recoveryCodesLeft", factors.recoveryCodesLeft());
        model.put("required", factors.required());
        PasskeySection.addTo(model, portcullis(), WebAuth.of(request, response).session(), passkeyNotice);
        render(response, status, "mfa", model);
    }
}
