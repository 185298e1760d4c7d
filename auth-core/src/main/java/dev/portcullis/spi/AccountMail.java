package dev.portcullis.spi;

import dev.portcullis.model.EmailAddress;
import java.net.URI;
import java.time.Duration;

/**
 * A message to an account holder, in domain terms; a {@link Mailer} renders and delivers it.
 * Links are absolute and built from the configured base URL, never from a request's Host header.
 * Links carry secrets: never log them outside development.
 */
public sealed interface AccountMail {

    /** Recipient: always an address stored for the account (or the new address being confirmed). */
    EmailAddress to();

    record VerifyEmail(EmailAddress to, URI link, Duration validFor) implements AccountMail {
        /** The link is a secret: never printed. */
        @Override
        public String toString() {
            return "VerifyEmail[to=" + to + ", link=redacted, validFor=" + validFor + "]";
        }
    }

    /** Someone tried to register with an address that already has an account. */
    record RegistrationAttempted(EmailAddress to, URI loginLink, URI resetLink) implements AccountMail {
    }

    record PasswordReset(EmailAddress to, URI link, Duration validFor) implements AccountMail {
        /** The link is a secret: never printed. */
        @Override
        public String toString() {
            return "PasswordReset[to=" + to + ", link=redacted, validFor=" + validFor + "]";
        }
    }

    /** Notice after a password change or reset. */
    record PasswordChanged(EmailAddress to) implements AccountMail {
    }

    /** Sent to the new address; the change happens only when its link is followed. */
    record ConfirmEmailChange(EmailAddress to, URI link, Duration validFor) implements AccountMail {
        /** The link is a secret: never printed. */
        @Override
        public String toString() {
            return "ConfirmEmailChange[to=" + to + ", link=redacted, validFor=" + validFor + "]";
        }
    }

    /** Sent to the old address when a change is requested. */
    record EmailChangeRequested(EmailAddress to, EmailAddress newAddress) implements AccountMail {
    }

    /** Sent to the old address when a change is completed. */
    record EmailChanged(EmailAddress to, EmailAddress newAddress) implements AccountMail {
    }

    /**
     * A remember-me token that had been replaced came back: someone holds a copy. Every session
     * and remember-me series of the account was ended.
     */
    record RememberMeTheft(EmailAddress to) implements AccountMail {
    }

    /**
     * Sign-ins to the account from browsers without its device cookie are being delayed after many
     * wrong passwords; browsers the owner signed in with before are not. At most one per throttling
     * window.
     */
    record SignInThrottled(EmailAddress to) implements AccountMail {
    }

    /** An authenticator app was added to the account as its second factor (two-factor sign-in is on). */
    record SecondFactorAdded(EmailAddress to) implements AccountMail {
    }

    /** The authenticator app was removed: two-factor sign-in is off. */
    record SecondFactorRemoved(EmailAddress to) implements AccountMail {
    }

    /** A recovery code was used to sign in (or re-authenticate); {@code remaining} are left. */
    record RecoveryCodeUsed(EmailAddress to, int remaining) implements AccountMail {
    }

    /**
     * An external identity (a sign-in with {@code provider}) was linked to the account: from now on
     * it signs in to it. Sent whenever a link is made, so an owner learns of one they did not make.
     */
    record IdentityLinked(EmailAddress to, String provider) implements AccountMail {
    }

    /**
     * Someone signed in with {@code provider} under this account's address, which the provider
     * cannot vouch for, and asked to link that sign-in to the account: {@code link} links it, but
     * only in the browser that asked (it is bound to that browser) and only once, within
     * {@code validFor}. Whoever does not recognise it ignores it. The link is redacted in
     * {@link #toString()}.
     */
    record ConfirmIdentityLink(EmailAddress to, String provider, URI link, Duration validFor) implements AccountMail {
        @Override
        public String toString() {
            return "ConfirmIdentityLink[to=" + to + ", provider=" + provider + ", link=redacted, validFor=" + validFor + "]";
        }
    }

    /** A passkey was added to the account. */
    record PasskeyAdded(EmailAddress to, String passkeyName) implements AccountMail {
    }

    /** A passkey was deleted from the account. */
    record PasskeyRemoved(EmailAddress to, String passkeyName) implements AccountMail {
    }

    /**
     * A sign-in with the passkey was refused because its signature counter went backwards or
     * stood still: someone may hold a copy of it.
     */
    record PasskeyCloneSuspected(EmailAddress to, String passkeyName) implements AccountMail {
    }
}
