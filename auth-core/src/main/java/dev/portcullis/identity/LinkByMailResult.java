package dev.portcullis.identity;

import java.time.Duration;
import java.util.Objects;

/** The outcome of {@link Identities#requestLinkByMail}. */
public sealed interface LinkByMailResult {

    /**
     * The account's address was mailed a link that links the identity. {@code browserSecret} binds
     * it to this browser: keep it in an HttpOnly cookie for {@code validFor} and pass it to
     * {@link Identities#confirmLinkByMail} with the link's token — the link does nothing in any other
     * browser, so whoever reads the mailbox alone cannot link an identity someone else holds.
     * Redacted in {@link #toString()}.
     */
    record Sent(String browserSecret, Duration validFor) implements LinkByMailResult {
        public Sent {
            Objects.requireNonNull(browserSecret, "browserSecret");
            Objects.requireNonNull(validFor, "validFor");
        }

        @Override
        public String toString() {
            return "Sent[browserSecret=redacted, validFor=" + validFor + "]";
        }
    }

    /**
     * Nothing to do: mail is not configured, the identity is linked already (it signs in), no
     * enabled account has its address (it signs in and creates one), or it is too long to keep.
     */
    record Unavailable() implements LinkByMailResult {
    }

    /** This client address asked for too many mails lately, or this account was mailed a link a moment ago. */
    record Throttled(Duration retryAfter) implements LinkByMailResult {
    }
}
