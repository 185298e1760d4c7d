package dev.portcullis.session;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.SecondFactor;

import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Outcome of {@link Sessions#login}. Unknown email, wrong password, disabled account and an
 * account without a usable password are all {@link InvalidCredentials}, reached after exactly one
 * password verification, so neither the answer nor its timing tells which. A right password of an
 * account with a second factor is {@link SecondFactorRequired} (or {@link EnrolmentRequired}):
 * no session yet.
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

    /**
     * The password was right and the account has a second factor: there is no session yet. Ask for
     * a code and pass it with {@code handle} to {@link Sessions#completeSignIn}. The handle is a
     * secret (256 random bits, stored only as a digest), single use, valid for 5 minutes and for
     * at most 5 codes, and dies when the password changes; redacted in {@link #toString()}.
     *
     * @param factors what the account can answer with
     */
    record SecondFactorRequired(String handle, Set<SecondFactor> factors) implements LoginResult {
        public SecondFactorRequired {
            Objects.requireNonNull(handle, "handle");
            factors = Set.copyOf(factors);
        }

        @Override
        public String toString() {
            return "SecondFactorRequired[handle=redacted, factors=" + factors + "]";
        }
    }

    /**
     * The password was right, but the policy requires a second factor for the account's roles and
     * it has none: no session yet. {@code handle} allows only enrolment
     * ({@code SecondFactors.startEnrolment} and {@code confirmEnrolment}), which then signs the
     * user in; the same limits as {@link SecondFactorRequired}. Redacted in {@link #toString()}.
     */
    record EnrolmentRequired(String handle) implements LoginResult {
        public EnrolmentRequired {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public String toString() {
            return "EnrolmentRequired[handle=redacted]";
        }
    }
}
