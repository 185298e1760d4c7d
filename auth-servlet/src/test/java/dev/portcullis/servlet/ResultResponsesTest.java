package dev.portcullis.servlet;

import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.ConfirmEmailChangeResult;
import dev.portcullis.account.EmailChangeResult;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailRequestResult;
import dev.portcullis.account.PasswordResetResult;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.session.LoginResult;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import dev.portcullis.token.RefreshResult;
import dev.portcullis.token.TokenIssueResult;
import dev.portcullis.token.TokenRefusal;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResultResponsesTest {

    private static final Duration WAIT = Duration.ofMillis(2_001);
    private static final DeviceToken DEVICE = DeviceToken.parse("A".repeat(22) + ".1767225600." + "B".repeat(43)).orElseThrow();
    private static final FieldErrors EMAIL = FieldErrors.of("email", "Enter a valid email address.");
    private static final CurrentUser USER = new CurrentUser(UserId.random(), dev.portcullis.model.EmailAddress.of("a@example.com"), java.util.Set.of(), true, java.time.Instant.EPOCH, null);

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(ResultResponses.login(new LoginResult.Throttled(WAIT)).retryAfterSeconds()).isEqualTo(OptionalLong.of(3));
        assertThat(ResultResponses.login(new LoginResult.Busy(Duration.ZERO)).retryAfterSeconds()).isEqualTo(OptionalLong.of(1));
        assertThat(ResultResponses.login(new LoginResult.Busy(Duration.ofSeconds(5))).retryAfterSeconds()).isEqualTo(OptionalLong.of(5));
        assertThat(ResultResponses.login(new LoginResult.InvalidCredentials()).retryAfterSeconds()).isEmpty();
    }

    @Test
    void throttledSaysTheWaitInWordsRoundedUp() {
        assertThat(ResultResponses.login(new LoginResult.Throttled(Duration.ofMillis(300))).message())
                .isEqualTo("Too many attempts. Try again in 1 second.");
        assertThat(ResultResponses.login(new LoginResult.Throttled(WAIT)).message()).isEqualTo("Too many attempts. Try again in 3 seconds.");
        assertThat(ResultResponses.inWords(Duration.ofSeconds(119))).isEqualTo("119 seconds");
        assertThat(ResultResponses.inWords(Duration.ofSeconds(121))).isEqualTo("3 minutes");
        assertThat(ResultResponses.inWords(Duration.ofMinutes(15))).isEqualTo("15 minutes");
    }

    @Test
    void theSameOutcomeGetsTheSameAnswerOnEveryEndpoint() {
        Answer login = ResultResponses.login(new LoginResult.InvalidCredentials());
        Answer token = ResultResponses.tokenIssue(new TokenIssueResult.InvalidCredentials());
        assertThat(token).isEqualTo(login);
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.message()).isEqualTo("Incorrect email or password.");

        List<Answer> busy = List.of(ResultResponses.login(new LoginResult.Busy(WAIT)),
                ResultResponses.registration(new RegistrationResult.Busy(WAIT)),
                ResultResponses.passwordChange(new ChangePasswordResult.Busy(WAIT)),
                ResultResponses.passwordReset(new PasswordResetResult.Busy(WAIT)),
                ResultResponses.emailChangeRequest(new EmailChangeResult.Busy(WAIT)),
                ResultResponses.tokenIssue(new TokenIssueResult.Busy(WAIT)));
        assertThat(busy).allSatisfy(a -> assertThat(a).isEqualTo(busy.get(0)));
        assertThat(busy.get(0).status()).isEqualTo(503);
        assertThat(busy.get(0).code()).isEqualTo("busy");

        assertThat(ResultResponses.tokenIssue(new TokenIssueResult.EmailNotVerified(UserId.random())))
                .isEqualTo(ResultResponses.login(new LoginResult.EmailNotVerified(UserId.random())));
        assertThat(ResultResponses.passwordReset(new PasswordResetResult.InvalidOrExpired()))
                .isEqualTo(ResultResponses.emailVerification(new EmailVerificationResult.InvalidOrExpired()))
                .isEqualTo(ResultResponses.emailChangeConfirmation(new ConfirmEmailChangeResult.InvalidOrExpired()));
    }

    @Test
    void everyFailureHasOneJsonShapeWithFields() {
        assertThat(ResultResponses.login(new LoginResult.Invalid(EMAIL)).toJson())
                .isEqualTo("{\"error\":\"invalid_input\",\"message\":\"Check the highlighted fields.\","
                        + "\"fields\":{\"email\":[\"Enter a valid email address.\"]}}");
        assertThat(ResultResponses.tokenIssue(new TokenIssueResult.Invalid(EMAIL)).toJson())
                .startsWith("{\"error\":\"invalid_request\",").endsWith(",\"fields\":{\"email\":[\"Enter a valid email address.\"]}}");
        assertThat(ResultResponses.tokenRefresh(new RefreshResult.Refused(TokenRefusal.REUSED)).toJson())
                .startsWith("{\"error\":\"invalid_grant\",").endsWith(",\"fields\":{}}");
        assertThat(ResultResponses.unavailable().toJson()).endsWith(",\"fields\":{}}");
        assertThat(ResultResponses.passwordResetRequest(new MailRequestResult.Accepted()).toJson())
                .isEqualTo("{\"status\":\"reset_requested\",\"message\":\"If an account exists for that address, "
                        + "we sent it a link to reset the password.\"}");
    }

    @Test
    void statusesAndCodesAreTheOnesTheEndpointsAlwaysSent() {
        SessionToken session = SessionToken.parse("A".repeat(43)).orElseThrow();
        assertThat(List.of(
                ResultResponses.login(new LoginResult.Success(USER, session, DEVICE)),
                ResultResponses.login(new LoginResult.Invalid(EMAIL)),
                ResultResponses.login(new LoginResult.Throttled(WAIT)),
                ResultResponses.registration(new RegistrationResult.Registered(USER, session)),
                ResultResponses.registration(new RegistrationResult.EmailTaken()),
                ResultResponses.registration(new RegistrationResult.VerificationSent()),
                ResultResponses.emailVerification(new EmailVerificationResult.Verified(UserId.random())),
                ResultResponses.verificationResend(new MailRequestResult.Accepted()),
                ResultResponses.verificationResend(new MailRequestResult.Invalid(EMAIL)),
                ResultResponses.emailChangeRequest(new EmailChangeResult.ConfirmationSent()),
                ResultResponses.emailChangeRequest(new EmailChangeResult.NotAuthenticated()),
                ResultResponses.emailChangeConfirmation(new ConfirmEmailChangeResult.EmailTaken()),
                ResultResponses.passwordChange(new ChangePasswordResult.NotAuthenticated()),
                ResultResponses.passwordChange(new ChangePasswordResult.Throttled(WAIT)),
                ResultResponses.tokenIssue(new TokenIssueResult.Throttled(WAIT)),
                ResultResponses.registration(new RegistrationResult.Throttled(WAIT)),
                ResultResponses.verificationResend(new MailRequestResult.Throttled(WAIT)),
                ResultResponses.passwordResetRequest(new MailRequestResult.Throttled(WAIT))))
                .extracting(a -> a.status() + " " + a.code())
                .containsExactly("200 logged_in", "422 invalid_input", "429 throttled", "200 registered", "409 email_taken",
                        "202 verification_sent", "200 email_verified", "202 verification_sent", "422 invalid_input",
                        "202 confirmation_sent", "401 unauthenticated", "409 email_taken", "401 unauthenticated",
                        "429 throttled", "429 throttled", "429 throttled", "429 throttled", "429 throttled");
        assertThat(ResultResponses.registration(new RegistrationResult.Throttled(WAIT)).retryAfterSeconds())
                .hasValue(3);
        assertThat(ResultResponses.registration(new RegistrationResult.EmailTaken()).fields().messagesFor("email")).isNotEmpty();
        assertThat(ResultResponses.emailChangeConfirmation(new ConfirmEmailChangeResult.EmailTaken()).fields()
                .messagesFor("email")).containsExactly("This address is taken.");
        assertThat(ResultResponses.login(new LoginResult.Success(USER, session, DEVICE)).isError()).isFalse();
    }
    @Test
    void stepUpAndFactorChangesAnswerLikeTheSignInSteps() {
        assertThat(ResultResponses.reauthentication(new dev.portcullis.session.ReauthenticationResult.WrongCode()))
                .isEqualTo(ResultResponses.secondFactor(new dev.portcullis.session.SecondFactorResult.WrongCode()));
        assertThat(ResultResponses.reauthentication(new dev.portcullis.session.ReauthenticationResult.Throttled(WAIT)))
                .isEqualTo(ResultResponses.login(new LoginResult.Throttled(WAIT)));
        assertThat(ResultResponses.reauthentication(new dev.portcullis.session.ReauthenticationResult.Busy(WAIT)))
                .isEqualTo(ResultResponses.login(new LoginResult.Busy(WAIT)));
        assertThat(ResultResponses.reauthentication(new dev.portcullis.session.ReauthenticationResult.Reauthenticated(true))
                .status()).isEqualTo(200);
        assertThat(ResultResponses.reauthentication(new dev.portcullis.session.ReauthenticationResult.Reauthenticated(false))
                .code()).isEqualTo("reauthentication_incomplete");
        assertThat(ResultResponses.reauthentication(new dev.portcullis.session.ReauthenticationResult.WrongPassword())
                .status()).isEqualTo(401);
        assertThat(ResultResponses.factorChange(new dev.portcullis.mfa.FactorChangeResult.ReauthenticationRequired()))
                .isEqualTo(ResultResponses.passwordChange(new ChangePasswordResult.ReauthenticationRequired()));
        assertThat(ResultResponses.factorChange(new dev.portcullis.mfa.FactorChangeResult.RequiredByPolicy()).status())
                .isEqualTo(409);
        assertThat(ResultResponses.factorChange(new dev.portcullis.mfa.FactorChangeResult.Changed(
                new dev.portcullis.mfa.RecoveryCodes(List.of("abcde-fghij")))).code()).isEqualTo("recovery_codes_renewed");
    }
}
