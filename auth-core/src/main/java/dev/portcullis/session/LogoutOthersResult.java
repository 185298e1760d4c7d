package dev.portcullis.session;

/** Outcome of {@link Sessions#endOtherSessions}. */
public sealed interface LogoutOthersResult {

    record Ended(int count) implements LogoutOthersResult {
    }

    /** Every factor must have been proved within the step-up window: re-authenticate first. */
    record ReauthenticationRequired() implements LogoutOthersResult {
    }

    record NotAuthenticated() implements LogoutOthersResult {
    }
}
