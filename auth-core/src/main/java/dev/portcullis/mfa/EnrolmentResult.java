package dev.portcullis.mfa;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.SessionToken;
import java.time.Duration;

/** Outcome of {@link SecondFactors#confirmEnrolment}. */
public sealed interface EnrolmentResult {

    /** The authenticator app is now a second factor; show {@code recoveryCodes} once. */
    record Enrolled(RecoveryCodes recoveryCodes) implements EnrolmentResult {
    }

    /**
     * Enrolled from an enrolment handle ({@code LoginResult.EnrolmentRequired}) and signed in with
     * both factors; show {@code recoveryCodes} once, then continue as after a login.
     */
    record SignedIn(CurrentUser user, SessionToken session, DeviceToken device, RecoveryCodes recoveryCodes)
            implements EnrolmentResult {
    }

    /** Not 6 ASCII digits; not counted. */
    record Invalid(FieldErrors errors) implements EnrolmentResult {
    }

    /** Not the app's current code (counted). */
    record WrongCode() implements EnrolmentResult {
    }

    /** No enrolment was started (or it was confirmed or replaced meanwhile). */
    record NotStarted() implements EnrolmentResult {
    }

    record ReauthenticationRequired() implements EnrolmentResult {
    }

    /** No valid session, or an unknown, expired or spent enrolment handle. */
    record NotAuthenticated() implements EnrolmentResult {
    }

    record Throttled(Duration retryAfter) implements EnrolmentResult {
    }
}
