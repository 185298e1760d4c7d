package dev.portcullis.passkey;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.DeviceToken;
import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.SessionToken;
import java.time.Duration;

/** Outcome of a passkey sign-in, alone or as the second factor. */
public sealed interface PasskeySignInResult {

    /**
     * Signed in.
     *
     * @param multiFactor whether the authenticator verified its user (possession and PIN or
     *                    biometrics), or the passkey completed a password sign-in
     */
    record Success(CurrentUser user, SessionToken session, DeviceToken device, boolean multiFactor)
            implements PasskeySignInResult {
    }

    /** Malformed or oversized input; nothing was checked. */
    record Invalid(FieldErrors errors) implements PasskeySignInResult {
    }

    /** The challenge is unknown, expired, already used (a replay) or issued for another ceremony. */
    record InvalidChallenge() implements PasskeySignInResult {
    }

    /**
     * Not signed in: unknown passkey, a signature or origin that does not verify, user verification
     * missing, or a signature counter that did not increase (a cloned authenticator: reported and
     * the owner mailed). One answer for all.
     */
    record Refused() implements PasskeySignInResult {
    }

    /** Too many failed passkey attempts (on their own counter, apart from the password's). */
    record Throttled(Duration retryAfter) implements PasskeySignInResult {
    }

    /** The pending sign-in is unknown, expired or used (second factor). */
    record InvalidHandle() implements PasskeySignInResult {
    }
}
