package dev.portcullis.mfa;

/** Outcome of {@link SecondFactors#startEnrolment}. */
public sealed interface EnrolmentStartResult {

    /** A new pending enrolment (replacing an unconfirmed one): show {@code setup}, then ask for a code. */
    record Started(TotpSetup setup) implements EnrolmentStartResult {
    }

    /** An authenticator app is already confirmed; remove it first. */
    record AlreadyEnrolled() implements EnrolmentStartResult {
    }

    /** Every factor must have been proved within the step-up window: re-authenticate first. */
    record ReauthenticationRequired() implements EnrolmentStartResult {
    }

    /** No valid session, or an unknown, expired or used enrolment handle. */
    record NotAuthenticated() implements EnrolmentStartResult {
    }
}
