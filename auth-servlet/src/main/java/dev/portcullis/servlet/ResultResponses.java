package dev.portcullis.servlet;

import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailRequestResult;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.session.LoginResult;

import dev.portcullis.token.RefreshResult;
import dev.portcullis.token.TokenIssueResult;
import java.time.Duration;

/**
 * The one mapping from the core's results to HTTP: status, error code, sentence, field messages
 * and {@code Retry-After}. {@link AuthEndpointsServlet} and {@link TokenEndpointsServlet} answer
 * through it, and so can an application's own servlets, so that every page and every JSON client
 * sees the same statuses and the same words for the same outcome:
 *
 * <pre>{@code
 * LoginResult result = web.portcullis().sessions().login(credentials, web.clientAddress());
 * if (result instanceof LoginResult.Success ok) { ... }
 * else {
 *     Answer answer = ResultResponses.login(result);
 *     answer.applyHeaders(response);                 // 401, 422, 429 + Retry-After, 503 + Retry-After, …
 *     renderForm(answer.message(), answer.fields()); // or answer.writeJson(response)
 *     web.holdIfBusy(answer);                        // busy: held for Retry-After, no thread held
 * }
 * }</pre>
 *
 * <p>Every result has an answer, successes included (their code is the {@code "status"} the
 * endpoints send, e.g. {@code logged_in}). Throttled, busy and unavailable answers carry {@code Retry-After} in
 * whole seconds, rounded up. Stateless and thread-safe.
 */
public final class ResultResponses {

    static final String CHECK_FIELDS = "Check the highlighted fields.";
    static final String INVALID_CREDENTIALS = "Incorrect email or password.";
    static final String BUSY = "We are busy right now. Try again in a few seconds.";
    /** The code of the hashing gate's "busy" answers, which {@link WebAuth#holdIfBusy} holds. */
    static final String BUSY_CODE = "busy";
    static final String EMAIL_NOT_VERIFIED = "Verify your email address before logging in: follow the link we sent you.";
    static final String INVALID_LINK = "This link is invalid or has expired. Request a new one.";
    static final String LOG_IN = "Log in to continue.";
    static final String MFA_REQUIRED = "Enter the code from your authenticator app to finish signing in.";
    static final String MFA_ENROLMENT_REQUIRED = "Your account needs two-factor sign-in: set up an authenticator app.";
    static final String WRONG_CODE = "That code is not correct. Try the current code from your app.";
    static final String CODE_REFUSED = "That code is not right, or was already used. Enter the current code.";
    static final String REAUTHENTICATE = "For your security, confirm it is you: sign in again to continue.";
    static final String UNAVAILABLE = "Authentication is temporarily unavailable. Try again shortly.";
    static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(5);

    private ResultResponses() {
    }

    /** Form or JSON login. */
    public static Answer login(LoginResult result) {
        if (result instanceof LoginResult.Success) {
            return Answer.of(200, "logged_in", "You are logged in.");
        } else if (result instanceof LoginResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof LoginResult.InvalidCredentials) {
            return invalidCredentials();
        } else if (result instanceof LoginResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof LoginResult.EmailNotVerified) {
            return emailNotVerified();
        } else if (result instanceof LoginResult.Busy b) {
            return busy(b.retryAfter());
        } else if (result instanceof LoginResult.SecondFactorRequired) {
            return Answer.of(401, "mfa_required", MFA_REQUIRED);
        } else if (result instanceof LoginResult.EnrolmentRequired) {
            return Answer.of(403, "mfa_enrolment_required", MFA_ENROLMENT_REQUIRED);
        }
        throw unhandled(result);
    }

    /** Sign-up; {@code VerificationSent} (verify-first mode) is the same whether or not the address was taken. */
    public static Answer registration(RegistrationResult result) {
        if (result instanceof RegistrationResult.Registered) {
            return Answer.of(200, "registered", "Your account is ready and you are logged in.");
        } else if (result instanceof RegistrationResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof RegistrationResult.EmailTaken t) {
            return Answer.withFields(409, "email_taken", "An account with this email address already exists.", t.errors());
        } else if (result instanceof RegistrationResult.VerificationSent) {
            return Answer.of(202, "verification_sent", "Check your inbox: we sent a link to confirm the address.");
        } else if (result instanceof RegistrationResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof RegistrationResult.Busy b) {
            return busy(b.retryAfter());
        }
        throw unhandled(result);
    }

    /** Password change by a logged-in user (a wrong current password is an {@code Invalid} field). */
    public static Answer passwordChange(ChangePasswordResult result) {
        if (result instanceof ChangePasswordResult.Changed) {
            return Answer.of(200, "password_changed", "Your password was changed. Other sessions were logged out.");
        } else if (result instanceof ChangePasswordResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof ChangePasswordResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof ChangePasswordResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof ChangePasswordResult.Busy b) {
            return busy(b.retryAfter());
        } else if (result instanceof ChangePasswordResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        }
        throw unhandled(result);
    }

    /** A verification link posted back. */
    public static Answer emailVerification(EmailVerificationResult result) {
        if (result instanceof EmailVerificationResult.Verified) {
            return Answer.of(200, "email_verified", "Your email address is verified.");
        } else if (result instanceof EmailVerificationResult.InvalidOrExpired) {
            return invalidLink();
        }
        throw unhandled(result);
    }

    /** A request for a new verification link; the same answer whether or not the account exists. */
    public static Answer verificationResend(MailRequestResult result) {
        return mailRequest(result, "verification_sent", "If that address belongs to an unverified account, we sent a new link.");
    }

    /** "Forgot password"; the same answer whether or not the account exists. */
    public static Answer passwordResetRequest(MailRequestResult result) {
        return mailRequest(result, "reset_requested", "If an account exists for that address, we sent it a link to reset the password.");
    }

    /** A new password set through a reset link. */
    public static Answer passwordReset(PasswordResetResult result) {
        if (result instanceof PasswordResetResult.Reset) {
            return Answer.of(200, "password_reset", "Your password was changed. Log in with the new one.");
        } else if (result instanceof PasswordResetResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof PasswordResetResult.InvalidOrExpired) {
            return invalidLink();
        } else if (result instanceof PasswordResetResult.Busy b) {
            return busy(b.retryAfter());
        }
        throw unhandled(result);
    }

    /** A logged-in user asks to move the account to another address. */
    public static Answer emailChangeRequest(EmailChangeResult result) {
        if (result instanceof EmailChangeResult.ConfirmationSent) {
            return Answer.of(202, "confirmation_sent", "Follow the link we sent to the new address to complete the change.");
        } else if (result instanceof EmailChangeResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof EmailChangeResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof EmailChangeResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof EmailChangeResult.Busy b) {
            return busy(b.retryAfter());
        } else if (result instanceof EmailChangeResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        }
        throw unhandled(result);
    }

    /** The link that confirms an email change, posted back. */
    public static Answer emailChangeConfirmation(ConfirmEmailChangeResult result) {
        if (result instanceof ConfirmEmailChangeResult.Changed) {
            return Answer.of(200, "email_changed", "Your email address was changed. Log in with the new one.");
        } else if (result instanceof ConfirmEmailChangeResult.InvalidOrExpired) {
            return invalidLink();
        } else if (result instanceof ConfirmEmailChangeResult.EmailTaken) {
            return Answer.withFields(409, "email_taken", "Another account uses this email address now; nothing was changed.",
                    FieldErrors.of("email", "This address is taken."));
        }
        throw unhandled(result);
    }

    /** Credentials traded for API tokens (input problems are 400 {@code invalid_request} here, as in OAuth). */
    public static Answer tokenIssue(TokenIssueResult result) {
        if (result instanceof TokenIssueResult.Issued) {
            return Answer.of(200, "issued", "Tokens issued.");
        } else if (result instanceof TokenIssueResult.Invalid i) {
            return Answer.withFields(400, "invalid_request", CHECK_FIELDS, i.errors());
        } else if (result instanceof TokenIssueResult.InvalidCredentials) {
            return invalidCredentials();
        } else if (result instanceof TokenIssueResult.EmailNotVerified) {
            return emailNotVerified();
        } else if (result instanceof TokenIssueResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof TokenIssueResult.Busy b) {
            return busy(b.retryAfter());
        } else if (result instanceof TokenIssueResult.SecondFactorRequired) {
            return Answer.of(401, "mfa_required", "This account has two-factor sign-in: send \"code\" too.");
        } else if (result instanceof TokenIssueResult.WrongCode) {
            return Answer.of(401, "invalid_code", WRONG_CODE);
        } else if (result instanceof TokenIssueResult.EnrolmentRequired) {
            return Answer.of(403, "mfa_enrolment_required", MFA_ENROLMENT_REQUIRED);
        }
        throw unhandled(result);
    }

    /** A refresh token traded for a new pair; every refusal (unknown, expired, reused) looks the same. */
    public static Answer tokenRefresh(RefreshResult result) {
        if (result instanceof RefreshResult.Refreshed) {
            return Answer.of(200, "refreshed", "Tokens refreshed.");
        } else if (result instanceof RefreshResult.Refused) {
            return Answer.of(400, "invalid_grant", "The refresh token is invalid, expired or already used. Log in again.");
        }
        throw unhandled(result);
    }

    /** 401 {@code unauthenticated}: the request needs a logged-in user. */
    public static Answer unauthenticated() {
        return Answer.of(401, "unauthenticated", LOG_IN);
    }

    /**
     * 503 {@code unavailable} with {@code Retry-After: 5}: a store failed ({@code PortcullisException});
     * nothing about the fault. The wait tells well-behaved clients (and load balancers) to back off
     * rather than retry at once against a database that is down, as the busy-hasher 503 does.
     */
    public static Answer unavailable() {
        return Answer.retryLater(503, "unavailable", UNAVAILABLE, UNAVAILABLE_RETRY);
    }

    private static Answer mailRequest(MailRequestResult result, String acceptedCode, String acceptedMessage) {
        if (result instanceof MailRequestResult.Accepted) {
            return Answer.of(202, acceptedCode, acceptedMessage);
        } else if (result instanceof MailRequestResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof MailRequestResult.Throttled t) {
            return throttled(t.retryAfter());
        }
        throw unhandled(result);
    }

    /** The code step of a sign-in ({@code Sessions.completeSignIn}). */
    public static Answer secondFactor(dev.portcullis.session.SecondFactorResult result) {
        if (result instanceof dev.portcullis.session.SecondFactorResult.Success) {
            return Answer.of(200, "logged_in", "You are logged in.");
        } else if (result instanceof dev.portcullis.session.SecondFactorResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof dev.portcullis.session.SecondFactorResult.WrongCode) {
            return Answer.of(401, "invalid_code", CODE_REFUSED);
        } else if (result instanceof dev.portcullis.session.SecondFactorResult.InvalidHandle) {
            return signInExpired();
        } else if (result instanceof dev.portcullis.session.SecondFactorResult.Throttled t) {
            return throttled(t.retryAfter());
        }
        throw unhandled(result);
    }

    static final String PASSKEY_REFUSED = "That passkey was not accepted. Try again, or sign in another way.";
    static final String PASSKEY_CHALLENGE = "This passkey request has expired or was already used. Start again.";
    static final String SIGN_IN_EXPIRED = "Your sign-in has expired. Enter your email and password again.";

    /** 401 {@code sign_in_expired}: a pending sign-in (code step, passkey second factor) is gone; start again. */
    private static Answer signInExpired() {
        return Answer.of(401, "sign_in_expired", SIGN_IN_EXPIRED);
    }

    /** Options for a passkey ceremony (the options themselves are written by the passkey endpoints). */
    public static Answer passkeyOptions(dev.portcullis.passkey.PasskeyOptionsResult result) {
        if (result instanceof dev.portcullis.passkey.PasskeyOptionsResult.Creation
                || result instanceof dev.portcullis.passkey.PasskeyOptionsResult.Request) {
            return Answer.of(200, "options", "Use your passkey.");
        } else if (result instanceof dev.portcullis.passkey.PasskeyOptionsResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof dev.portcullis.passkey.PasskeyOptionsResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        } else if (result instanceof dev.portcullis.passkey.PasskeyOptionsResult.InvalidHandle) {
            return signInExpired();
        }
        throw unhandled(result);
    }

    /** Adding a passkey. */
    public static Answer passkeyRegistration(dev.portcullis.passkey.PasskeyRegistrationResult result) {
        if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.Registered) {
            return Answer.of(200, "passkey_added", "Your passkey was added.");
        } else if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.InvalidChallenge) {
            return Answer.of(400, "invalid_challenge", PASSKEY_CHALLENGE);
        } else if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.Refused) {
            return Answer.of(400, "passkey_refused", "That passkey could not be added: the browser's answer did not"
                    + " verify (user verification is required).");
        } else if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.AlreadyRegistered) {
            return Answer.of(409, "passkey_exists", "This passkey is registered already.");
        } else if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof dev.portcullis.passkey.PasskeyRegistrationResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        }
        throw unhandled(result);
    }

    /** Signing in with a passkey, alone or as the second factor. */
    public static Answer passkeySignIn(dev.portcullis.passkey.PasskeySignInResult result) {
        if (result instanceof dev.portcullis.passkey.PasskeySignInResult.Success) {
            return Answer.of(200, "logged_in", "You are logged in.");
        } else if (result instanceof dev.portcullis.passkey.PasskeySignInResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof dev.portcullis.passkey.PasskeySignInResult.InvalidChallenge) {
            return Answer.of(400, "invalid_challenge", PASSKEY_CHALLENGE);
        } else if (result instanceof dev.portcullis.passkey.PasskeySignInResult.Refused) {
            return Answer.of(401, "passkey_refused", PASSKEY_REFUSED);
        } else if (result instanceof dev.portcullis.passkey.PasskeySignInResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof dev.portcullis.passkey.PasskeySignInResult.InvalidHandle) {
            return signInExpired();
        }
        throw unhandled(result);
    }

    /** Starting an authenticator-app enrolment. */
    public static Answer enrolmentStart(dev.portcullis.mfa.EnrolmentStartResult result) {
        if (result instanceof dev.portcullis.mfa.EnrolmentStartResult.Started) {
            return Answer.of(200, "enrolment_started", "Scan the code with your authenticator app, then enter the code it shows.");
        } else if (result instanceof dev.portcullis.mfa.EnrolmentStartResult.AlreadyEnrolled) {
            return Answer.of(409, "already_enrolled", "An authenticator app is already set up; remove it first.");
        } else if (result instanceof dev.portcullis.mfa.EnrolmentStartResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        } else if (result instanceof dev.portcullis.mfa.EnrolmentStartResult.NotAuthenticated) {
            return unauthenticated();
        }
        throw unhandled(result);
    }

    /** Confirming an enrolment with its first code. */
    public static Answer enrolment(dev.portcullis.mfa.EnrolmentResult result) {
        if (result instanceof dev.portcullis.mfa.EnrolmentResult.Enrolled
                || result instanceof dev.portcullis.mfa.EnrolmentResult.SignedIn) {
            return Answer.of(200, "enrolled", "Two-factor sign-in is on. Keep your recovery codes somewhere safe.");
        } else if (result instanceof dev.portcullis.mfa.EnrolmentResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof dev.portcullis.mfa.EnrolmentResult.WrongCode) {
            return Answer.of(401, "invalid_code", "That code is not right. Enter the code your app shows now.");
        } else if (result instanceof dev.portcullis.mfa.EnrolmentResult.NotStarted) {
            return Answer.of(409, "enrolment_not_started", "Start setting up the authenticator app first.");
        } else if (result instanceof dev.portcullis.mfa.EnrolmentResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        } else if (result instanceof dev.portcullis.mfa.EnrolmentResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof dev.portcullis.mfa.EnrolmentResult.Throttled t) {
            return throttled(t.retryAfter());
        }
        throw unhandled(result);
    }

    /** Renaming or deleting a passkey. */
    public static Answer passkeyChange(dev.portcullis.passkey.PasskeyChangeResult result) {
        if (result instanceof dev.portcullis.passkey.PasskeyChangeResult.Done) {
            return Answer.of(200, "passkey_changed", "Done.");
        } else if (result instanceof dev.portcullis.passkey.PasskeyChangeResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof dev.portcullis.passkey.PasskeyChangeResult.NotFound) {
            return Answer.of(404, "not_found", "There is no such passkey on your account.");
        } else if (result instanceof dev.portcullis.passkey.PasskeyChangeResult.LastCredential) {
            return Answer.of(409, "last_credential", "This is the only way into your account: add another passkey"
                    + " or set a password first.");
        } else if (result instanceof dev.portcullis.passkey.PasskeyChangeResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof dev.portcullis.passkey.PasskeyChangeResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        }
        throw unhandled(result);
    }

    /**
     * Step-up ({@code Sessions.reauthenticate}, {@code reauthenticateSecondFactor}). A right answer
     * while another factor of the account is not fresh yet (a password without the code) is 401
     * {@code reauthentication_incomplete}: send the other one too.
     */
    public static Answer reauthentication(dev.portcullis.session.ReauthenticationResult result) {
        if (result instanceof dev.portcullis.session.ReauthenticationResult.Reauthenticated r) {
            return r.complete() ? Answer.of(200, "reauthenticated", "Thank you. You can continue.")
                    : Answer.of(401, "reauthentication_incomplete",
                            "Confirm with your password and the code from your authenticator app.");
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.Invalid i) {
            return invalidInput(i.errors());
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.WrongPassword) {
            return Answer.of(401, "invalid_credentials", "Incorrect password.");
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.WrongCode) {
            return Answer.of(401, "invalid_code", CODE_REFUSED);
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.NoSecondFactor) {
            return Answer.of(409, "not_enrolled", "This account has no second factor: the password is enough.");
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.NotAuthenticated) {
            return unauthenticated();
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.Throttled t) {
            return throttled(t.retryAfter());
        } else if (result instanceof dev.portcullis.session.ReauthenticationResult.Busy b) {
            return busy(b.retryAfter());
        }
        throw unhandled(result);
    }

    /** Removing the authenticator app, or renewing the recovery codes. */
    public static Answer factorChange(dev.portcullis.mfa.FactorChangeResult result) {
        if (result instanceof dev.portcullis.mfa.FactorChangeResult.Changed c) {
            return c.recoveryCodes().codes().isEmpty()
                    ? Answer.of(200, "authenticator_removed", "The authenticator app was removed: two-factor sign-in is off.")
                    : Answer.of(200, "recovery_codes_renewed", "New recovery codes: the old ones no longer work.");
        } else if (result instanceof dev.portcullis.mfa.FactorChangeResult.NotEnrolled) {
            return Answer.of(409, "not_enrolled", "No authenticator app is set up.");
        } else if (result instanceof dev.portcullis.mfa.FactorChangeResult.RequiredByPolicy) {
            return Answer.of(409, "mfa_required_by_policy", "Your account must keep two-factor sign-in.");
        } else if (result instanceof dev.portcullis.mfa.FactorChangeResult.ReauthenticationRequired) {
            return reauthenticationRequired();
        } else if (result instanceof dev.portcullis.mfa.FactorChangeResult.NotAuthenticated) {
            return unauthenticated();
        }
        throw unhandled(result);
    }

    /** 401 {@code reauthentication_required}: a sensitive action needs a fresh password (and code). */
    public static Answer reauthenticationRequired() {
        return Answer.of(401, "reauthentication_required", REAUTHENTICATE);
    }

    private static Answer invalidInput(FieldErrors errors) {
        return Answer.withFields(422, "invalid_input", CHECK_FIELDS, errors);
    }

    private static Answer invalidCredentials() {
        return Answer.of(401, "invalid_credentials", INVALID_CREDENTIALS);
    }

    private static Answer emailNotVerified() {
        return Answer.of(403, "email_not_verified", EMAIL_NOT_VERIFIED);
    }

    private static Answer invalidLink() {
        return Answer.of(400, "invalid_token", INVALID_LINK);
    }

    private static Answer throttled(Duration wait) {
        return Answer.retryLater(429, "throttled", "Too many attempts. Try again in " + inWords(wait) + ".", wait);
    }

    private static Answer busy(Duration wait) {
        return Answer.retryLater(503, BUSY_CODE, BUSY, wait);
    }

    /** "1 second", "42 seconds", "15 minutes": the Retry-After value in words, rounded up. */
    static String inWords(Duration wait) {
        long seconds = Answer.wholeSecondsUp(wait);
        if (seconds < 120) {
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        return (seconds + 59) / 60 + " minutes";
    }

    private static IllegalStateException unhandled(Object result) {
        return new IllegalStateException("unhandled outcome " + result.getClass().getName());
    }
}
