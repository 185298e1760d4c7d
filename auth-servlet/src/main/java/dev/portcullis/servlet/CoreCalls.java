package dev.portcullis.servlet;

import dev.portcullis.ConfirmEmailChangeResult;
import dev.portcullis.Credentials;
import dev.portcullis.CurrentUser;
import dev.portcullis.EmailChangeResult;
import dev.portcullis.EmailVerificationResult;
import dev.portcullis.LoginResult;
import dev.portcullis.MailRequestResult;
import dev.portcullis.PasswordResetResult;
import dev.portcullis.Portcullis;
import dev.portcullis.Registration;
import dev.portcullis.RegistrationResult;
import dev.portcullis.RememberMeResult;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every call this module makes into {@link Portcullis}, in one place: the browser session's
 * lifecycle (current user, remember-me, logout) for {@link RequestResolver} and {@link WebAuth},
 * and the use cases of the ready-made endpoints. Nothing else here calls the facade (the
 * architecture test checks it), so a change of the core's API is a change of this file.
 * Thread-safe, as the facade is.
 */
final class CoreCalls {

    /** A session resumed from a remember-me token, with the token that replaces the presented one, if any. */
    record Resumed(CurrentUser user, SessionToken session, Optional<RememberMeToken> rotated) {
    }

    private final Portcullis portcullis;

    CoreCalls(Portcullis portcullis) {
        this.portcullis = Objects.requireNonNull(portcullis, "portcullis");
    }

    /** For applications, through {@link WebAuth#portcullis()}. */
    Portcullis portcullis() {
        return portcullis;
    }

    Optional<CurrentUser> currentUser(SessionToken session) {
        return portcullis.currentUser(session);
    }

    /** Empty when the token is refused (invalid, expired, a replayed copy) or its user is gone meanwhile. */
    Optional<Resumed> resume(RememberMeToken token, String clientAddress) {
        if (!(portcullis.resume(token, clientAddress) instanceof RememberMeResult.Resumed r)) {
            return Optional.empty();
        }
        // The result carries only ids today; once it carries the CurrentUser, this lookup goes.
        return portcullis.currentUser(r.session()).map(user -> new Resumed(user, r.session(), r.rotated()));
    }

    void logout(SessionToken session, String clientAddress) {
        portcullis.logout(session, clientAddress);
    }

    /** @throws IllegalStateException when the facade has no remember-me store */
    Optional<RememberMeToken> rememberMe(SessionToken session) {
        return portcullis.rememberMe(session);
    }

    void forget(RememberMeToken token) {
        portcullis.forget(token);
    }

    /** How long a remember-me cookie lives (its {@code Max-Age}). */
    Duration rememberMeLifetime() {
        return portcullis.sessionPolicy().rememberMeLifetime();
    }

    LoginResult login(String email, RawPassword password, String clientAddress) {
        return portcullis.login(new Credentials(email, password), clientAddress);
    }

    RegistrationResult register(String email, RawPassword password, RawPassword confirmPassword, String clientAddress) {
        return portcullis.register(new Registration(email, password, confirmPassword), clientAddress);
    }

    boolean mailEnabled() {
        return portcullis.mailEnabled();
    }

    EmailVerificationResult verifyEmail(String token) {
        return portcullis.verifyEmail(token);
    }

    MailRequestResult resendVerification(String email) {
        return portcullis.resendVerification(email);
    }

    MailRequestResult requestPasswordReset(String email, String clientAddress) {
        return portcullis.requestPasswordReset(email, clientAddress);
    }

    PasswordResetResult resetPassword(String token, RawPassword password, RawPassword confirmPassword, String clientAddress) {
        return portcullis.resetPassword(token, password, confirmPassword, clientAddress);
    }

    EmailChangeResult requestEmailChange(SessionToken session, String newEmail, RawPassword currentPassword, String clientAddress) {
        return portcullis.requestEmailChange(session, newEmail, currentPassword, clientAddress);
    }

    ConfirmEmailChangeResult confirmEmailChange(String token, String clientAddress) {
        return portcullis.confirmEmailChange(token, clientAddress);
    }
}
