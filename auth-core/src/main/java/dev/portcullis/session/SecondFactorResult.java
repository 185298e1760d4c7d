package dev.portcullis.session;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.SessionToken;
import java.time.Duration;

/**
 * Outcome of {@link Sessions#completeSignIn}. Suggested HTTP mapping: Success 200, Invalid 422,
 * WrongCode 401, InvalidHandle 401 (back to the password step), Throttled 429 with Retry-After.
 */
public sealed interface SecondFactorResult {

    /** Signed in with both factors; as {@link LoginResult.Success}. */
    record Success(CurrentUser user, SessionToken session, DeviceToken device) implements SecondFactorResult {
    }

    /** Not shaped like a code (empty, too long, not 6 ASCII digits nor a recovery code); not counted. */
    record Invalid(FieldErrors errors) implements SecondFactorResult {
    }

    /** Wrong, already used (replayed) or expired code; counted. The handle may take another one. */
    record WrongCode() implements SecondFactorResult {
        public String message() {
            return "That code is not correct. Try the current code from your app.";
        }
    }

    /**
     * The handle is unknown, expired, already used, had its 5 codes, or the password changed since:
     * one answer for all, so it tells nothing. Sign in with the password again.
     */
    record InvalidHandle() implements SecondFactorResult {
        public String message() {
            return "Your sign-in has expired. Enter your email and password again.";
        }
    }

    /** Too many wrong codes for this account (or trusted device) or from this address. */
    record Throttled(Duration retryAfter) implements SecondFactorResult {
    }
}
