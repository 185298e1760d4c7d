package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailRequestResult;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.RememberMeResult;

import dev.portcullis.model.DeviceToken;
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
        return portcullis.sessions().currentUser(session);
    }

    /** Empty when the token is refused (invalid, expired, a replayed copy, its user disabled). */
    Optional<Resumed> resume(RememberMeToken token, String clientAddress) {
        if (!(portcullis.rememberMe().resume(token, clientAddress) instanceof RememberMeResult.Resumed r)) {
            return Optional.empty();
        }
        return Optional.of(new Resumed(r.user(), r.session(), r.rotated()));
    }

    void logout(SessionToken session, String clientAddress) {
        portcullis.sessions().logout(session, clientAddress);
    }

    /** @throws IllegalStateException when the facade has no remember-me store */
    Optional<RememberMeToken> rememberMe(SessionToken session) {
        return portcullis.rememberMe().issue(session);
    }

    void forget(RememberMeToken token) {
        portcullis.rememberMe().forget(token);
    }

    /** How long a remember-me cookie lives (its {@code Max-Age}). */
    Duration rememberMeLifetime() {
        return portcullis.rememberMe().lifetime();
    }

    dev.portcullis.session.SecondFactorResult completeSignIn(String handle, String code, String clientAddress,
                                                          Optional<DeviceToken> device) {
        return portcullis.sessions().completeSignIn(handle, code, clientAddress, device);
    }

    dev.portcullis.session.ReauthenticationResult reauthenticate(SessionToken session, RawPassword password,
                                                                 String clientAddress) {
        return portcullis.sessions().reauthenticate(session, password, clientAddress);
    }

    dev.portcullis.session.ReauthenticationResult reauthenticateSecondFactor(SessionToken session, String code,
                                                                             String clientAddress,
                                                                             Optional<DeviceToken> device) {
        return portcullis.sessions().reauthenticateSecondFactor(session, code, clientAddress, device);
    }

    boolean recentlyAuthenticated(SessionToken session) {
        return portcullis.sessions().recentlyAuthenticated(session);
    }

    dev.portcullis.mfa.EnrolmentStartResult startEnrolment(SessionToken session, String clientAddress) {
        return portcullis.secondFactors().startEnrolment(session, clientAddress);
    }

    dev.portcullis.mfa.EnrolmentResult confirmEnrolment(SessionToken session, String code, String clientAddress) {
        return portcullis.secondFactors().confirmEnrolment(session, code, clientAddress);
    }

    dev.portcullis.mfa.EnrolmentStartResult startEnrolment(String enrolmentHandle) {
        return portcullis.secondFactors().startEnrolment(enrolmentHandle);
    }

    dev.portcullis.mfa.EnrolmentResult confirmEnrolment(String enrolmentHandle, String code, String clientAddress,
                                                        Optional<DeviceToken> device) {
        return portcullis.secondFactors().confirmEnrolment(enrolmentHandle, code, clientAddress, device);
    }

    LoginResult login(String email, RawPassword password, String clientAddress, Optional<DeviceToken> device) {
        return portcullis.sessions().login(new Credentials(email, password), clientAddress, device);
    }

    /** How long a device cookie lives (its {@code Max-Age}). */
    Duration deviceTokenLifetime() {
        return portcullis.sessions().deviceTokenLifetime();
    }

    RegistrationResult register(String email, RawPassword password, RawPassword confirmPassword, String clientAddress) {
        return portcullis.accounts().register(new Registration(email, password, confirmPassword), clientAddress);
    }

    /** Where the core's mails link to, when mail is configured. */
    Optional<AccountLinks> mailLinks() {
        return portcullis.accounts().links();
    }

    boolean mailEnabled() {
        return portcullis.accounts().mailEnabled();
    }

    EmailVerificationResult verifyEmail(String token) {
        return portcullis.accounts().verifyEmail(token);
    }

    MailRequestResult resendVerification(String email, String clientAddress) {
        return portcullis.accounts().resendVerification(email, clientAddress);
    }

    MailRequestResult requestPasswordReset(String email, String clientAddress) {
        return portcullis.passwordResets().request(email, clientAddress);
    }

    PasswordResetResult resetPassword(String token, RawPassword password, RawPassword confirmPassword, String clientAddress) {
        return portcullis.passwordResets().reset(token, password, confirmPassword, clientAddress);
    }

    EmailChangeResult requestEmailChange(SessionToken session, String newEmail, RawPassword currentPassword, String clientAddress) {
        return portcullis.accounts().requestEmailChange(session, newEmail, currentPassword, clientAddress);
    }

    ConfirmEmailChangeResult confirmEmailChange(String token, String clientAddress) {
        return portcullis.accounts().confirmEmailChange(token, clientAddress);
    }

    // ---- passkeys (issue 15)

    boolean passkeysEnabled() {
        return portcullis.passkeys().enabled();
    }

    dev.portcullis.passkey.PasskeyOptionsResult passkeyRegistrationOptions(SessionToken session) {
        return portcullis.passkeys().registrationOptions(session);
    }

    dev.portcullis.passkey.PasskeyRegistrationResult registerPasskey(SessionToken session,
            dev.portcullis.passkey.PasskeyRegistration input, String clientAddress) {
        return portcullis.passkeys().register(session, input, clientAddress);
    }

    dev.portcullis.passkey.RequestOptions passkeySignInOptions() {
        return portcullis.passkeys().signInOptions();
    }

    dev.portcullis.passkey.PasskeyOptionsResult passkeySecondFactorOptions(String handle) {
        return portcullis.passkeys().secondFactorOptions(handle);
    }

    dev.portcullis.passkey.PasskeySignInResult passkeySignIn(dev.portcullis.passkey.PasskeyAssertion input,
            String clientAddress) {
        return portcullis.passkeys().signIn(input, clientAddress);
    }

    dev.portcullis.passkey.PasskeySignInResult passkeyCompleteSignIn(String handle,
            dev.portcullis.passkey.PasskeyAssertion input, String clientAddress, Optional<DeviceToken> device) {
        return portcullis.passkeys().completeSignIn(handle, input, clientAddress, device);
    }

    Optional<java.util.List<dev.portcullis.passkey.PasskeyInfo>> passkeys(SessionToken session) {
        return portcullis.passkeys().list(session);
    }

    dev.portcullis.passkey.PasskeyChangeResult renamePasskey(SessionToken session, String id, String name) {
        return portcullis.passkeys().rename(session, id, name);
    }

    dev.portcullis.passkey.PasskeyChangeResult deletePasskey(SessionToken session, String id, String clientAddress) {
        return portcullis.passkeys().delete(session, id, clientAddress);
    }
}
