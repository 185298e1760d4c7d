package dev.portcullis.account;


import dev.portcullis.model.UserId;

/** Outcome of {@link Accounts#verifyEmail}. */
public sealed interface EmailVerificationResult {

    record Verified(UserId userId) implements EmailVerificationResult {
    }

    /** Unknown, used, expired, for another purpose, or issued for an address the account no longer has. */
    record InvalidOrExpired() implements EmailVerificationResult {
    }
}
