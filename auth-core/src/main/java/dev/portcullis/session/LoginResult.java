package dev.portcullis.session;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import java.time.Duration;

/**
 * Outcome of {@link Sessions#login}. Unknown email, wrong password, disabled account and an
 * account without a usable password are all {@link InvalidCredentials}, reached after exactly one
 * password verification, so neither the answer nor its timing tells which.
 */
public sealed interface LoginResult {

    /**
     * Signed in: {@code user} is who holds {@code session} now, so no layer needs to look them up
     * again. {@code device} is a fresh device token for this browser and account: keep it in a
     * long-lived cookie ({@code Sessions.deviceTokenLifetime()}) and present it at the next
     * sign-in, so that wrong guesses from elsewhere do not lock this browser out.
     */
    record Success(CurrentUser user, SessionToken session, DeviceToken device) implements LoginResult {
        public UserId userId() {
            return user.id();
        }
    }

    /** The form is incomplete (empty field, malformed email); no password was checked. */
    record Invalid(FieldErrors errors) implements LoginResult {
    }

    record InvalidCredentials() implements LoginResult {
        /** A message that is the same for every cause. */
        public String message() {
            return "Incorrect email or password.";
        }
    }

    /**
     * Too many recent failures for this account (from clients without its device token), for this
     * device, or from this client address (HTTP 429 with Retry-After).
     */
    record Throttled(Duration retryAfter) implements LoginResult {
    }

    /** The password was right but the address is not yet verified (only when the policy requires it). */
    record EmailNotVerified(UserId userId) implements LoginResult {
    }

    /** Every hashing slot was busy for the configured wait (HTTP 503 with Retry-After). */
    record Busy(Duration retryAfter) implements LoginResult {
    }
}
