package dev.portcullis.mail;

import dev.portcullis.spi.AccountMail;
import java.time.Duration;

/**
 * Default subject and plain-text body of each {@link AccountMail}. Adapters with HTML templates
 * may use these as the text part or replace them.
 *
 * @param serviceName shown in subjects and greetings
 */
public record MailText(String serviceName) {

    public String subject(AccountMail mail) {
        String what;
        if (mail instanceof AccountMail.VerifyEmail) {
            what = "Confirm your email address";
        } else if (mail instanceof AccountMail.RegistrationAttempted) {
            what = "Someone tried to sign up with your address";
        } else if (mail instanceof AccountMail.PasswordReset) {
            what = "Reset your password";
        } else if (mail instanceof AccountMail.PasswordChanged) {
            what = "Your password was changed";
        } else if (mail instanceof AccountMail.ConfirmEmailChange) {
            what = "Confirm your new email address";
        } else if (mail instanceof AccountMail.EmailChangeRequested) {
            what = "A change of your email address was requested";
        } else if (mail instanceof AccountMail.EmailChanged) {
            what = "Your email address was changed";
        } else if (mail instanceof AccountMail.RememberMeTheft) {
            what = "We signed you out everywhere";
        } else if (mail instanceof AccountMail.SignInThrottled) {
            what = "Someone is trying to sign in to your account";
        } else if (mail instanceof AccountMail.SecondFactorAdded) {
            what = "Two-factor sign-in is on: an authenticator app was added";
        } else if (mail instanceof AccountMail.SecondFactorRemoved) {
            what = "Two-factor sign-in is off: your authenticator app was removed";
        } else if (mail instanceof AccountMail.RecoveryCodeUsed) {
            what = "A recovery code was used to sign in";
        } else if (mail instanceof AccountMail.IdentityLinked m) {
            what = "Sign-in with " + m.provider() + " added to your account";
        } else if (mail instanceof AccountMail.ConfirmIdentityLink m) {
            what = "Link sign-in with " + m.provider() + " to your account?";
        } else if (mail instanceof AccountMail.PasskeyAdded) {
            what = "A passkey was added to your account";
        } else if (mail instanceof AccountMail.PasskeyRemoved) {
            what = "A passkey was removed from your account";
        } else if (mail instanceof AccountMail.PasskeyCloneSuspected) {
            what = "A sign-in with a copy of your passkey was refused";
        } else {
            throw new IllegalArgumentException("unknown mail " + mail.getClass());
        }
        return serviceName.isBlank() ? what : serviceName + ": " + what;
    }

    public String body(AccountMail mail) {
        if (mail instanceof AccountMail.VerifyEmail m) {
            return "Please confirm that this is your email address by opening this link:\n\n" + m.link()
                    + "\n\nThe link works once, for " + human(m.validFor()) + ". If you did not sign up, ignore this mail.\n";
        } else if (mail instanceof AccountMail.RegistrationAttempted m) {
            return "Someone (perhaps you) tried to create an account with this address, which already has one.\n\n"
                    + "Log in: " + m.loginLink() + "\nForgot your password? " + m.resetLink()
                    + "\n\nIf it was not you, you can ignore this mail; nothing was changed.\n";
        } else if (mail instanceof AccountMail.PasswordReset m) {
            return "To choose a new password, open this link:\n\n" + m.link() + "\n\nThe link works once, for "
                    + human(m.validFor()) + ". If you did not ask for it, ignore this mail; your password is unchanged.\n";
        } else if (mail instanceof AccountMail.PasswordChanged) {
            return "The password of your account was just changed and every session was logged out.\n\n"
                    + "If this was not you, reset your password at once and contact us.\n";
        } else if (mail instanceof AccountMail.ConfirmEmailChange m) {
            return "To make this the email address of your account, open this link:\n\n" + m.link()
                    + "\n\nThe link works once, for " + human(m.validFor()) + ". If you did not ask for it, ignore this mail.\n";
        } else if (mail instanceof AccountMail.EmailChangeRequested m) {
            return "Someone asked to change the email address of your account to " + m.newAddress().display()
                    + ". It changes only when the new address confirms.\n\nIf this was not you, change your password now.\n";
        } else if (mail instanceof AccountMail.EmailChanged m) {
            return "The email address of your account was changed to " + m.newAddress().display()
                    + ".\n\nIf this was not you, contact us at once.\n";
        } else if (mail instanceof AccountMail.RememberMeTheft) {
            return "A \"remember me\" login of your account was used after it had already been replaced, so someone"
                    + " may hold a copy of it (for example from a shared or compromised computer).\n\n"
                    + "We signed out every session of your account and forgot every remembered browser. Sign in again;"
                    + " if you did not expect this, change your password.\n";
        } else if (mail instanceof AccountMail.SignInThrottled) {
            return "There were many sign-in attempts with a wrong password for your account, so sign-ins from browsers"
                    + " you have not used with us before are being slowed down.\n\n"
                    + "You can still sign in at once from a browser you signed in with before. If you forgot your"
                    + " password, reset it. If the attempts were not yours: none of them signed anyone in, and a long"
                    + " password used nowhere else keeps it that way.\n";
        } else if (mail instanceof AccountMail.SecondFactorAdded) {
            return ADDED;
        } else if (mail instanceof AccountMail.SecondFactorRemoved) {
            return REMOVED;
        } else if (mail instanceof AccountMail.RecoveryCodeUsed m) {
            return recoveryCodeUsed(m.remaining());
        } else if (mail instanceof AccountMail.IdentityLinked m) {
            return "Signing in with " + m.provider() + " was just linked to your account: from now on that sign-in"
                    + " opens it.\n\nIf this was not you, unlink it in your account settings, change your password"
                    + " and contact us.\n";
        } else if (mail instanceof AccountMail.ConfirmIdentityLink m) {
            return confirmIdentityLink(m.provider(), m.link().toString(), human(m.validFor()));
        } else if (mail instanceof AccountMail.PasskeyAdded m) {
            return passkeyAdded(m.passkeyName());
        } else if (mail instanceof AccountMail.PasskeyRemoved m) {
            return passkeyRemoved(m.passkeyName());
        } else if (mail instanceof AccountMail.PasskeyCloneSuspected m) {
            return passkeyCloneSuspected(m.passkeyName());
        }
        throw new IllegalArgumentException("unknown mail " + mail.getClass());
    }

    static final String ADDED = "An authenticator app was added to your account for two-factor sign-in: from now on,"
            + " signing in takes your password and a code from the app (or one of your recovery codes).\n\n"
            + "If this was not you, reset your password at once and contact us.\n";
    static final String REMOVED = "The authenticator app of your account was removed and its recovery codes are void:"
            + " two-factor sign-in is off, and your password alone signs you in.\n\n"
            + "If this was not you, reset your password at once, set up two-factor sign-in again and contact us.\n";

    /** The text of the recovery-code notice, for the templates too. */
    public static String recoveryCodeUsed(int remaining) {
        return "One of your recovery codes was just used to sign in to your account (or to confirm a sensitive change)."
                + " Each code works once; " + remaining + (remaining == 1 ? " is" : " are") + " left.\n\n"
                + "If this was not you, someone has your password and a recovery code: reset your password at once"
                + " and create new recovery codes.\n";
    }

    /** The text of the identity-link confirmation, for the templates too. */
    public static String confirmIdentityLink(String provider, String link, String validFor) {
        return "Someone (perhaps you) signed in with " + provider + " using this address and asked to link that sign-in"
                + " to your account. To link it, open this link in the same browser:\n\n" + link
                + "\n\nThe link works once, for " + validFor + ", and only in the browser that asked. If this was not"
                + " you, ignore this mail: nothing is linked.\n";
    }

    /** The text of the passkey-added notice, for the templates too. */
    public static String passkeyAdded(String name) {
        return "A passkey named \"" + name + "\" was added to your account: it can now sign you in.\n\n"
                + "If this was not you, delete it from your account's security page, reset your password and contact us.\n";
    }

    /** The text of the passkey-removed notice, for the templates too. */
    public static String passkeyRemoved(String name) {
        return "The passkey named \"" + name + "\" was removed from your account: it no longer signs you in.\n\n"
                + "If this was not you, reset your password at once and contact us.\n";
    }

    /** The text of the cloned-passkey notice, for the templates too. */
    public static String passkeyCloneSuspected(String name) {
        return "A sign-in with your passkey \"" + name + "\" was refused: the authenticator's signature counter did not"
                + " increase, which happens when a copy of the passkey is used (or an old backup was restored).\n\n"
                + "If you did not just restore your authenticator, delete this passkey, add a new one and contact us.\n";
    }

    /** A validity period as mails say it: "48 hours", "30 minutes". */
    public static String human(Duration d) {
        return d.toHours() >= 1 && d.toMinutesPart() == 0 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }
}
