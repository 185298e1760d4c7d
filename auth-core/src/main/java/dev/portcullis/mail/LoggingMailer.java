package dev.portcullis.mail;

import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.Mailer;
import java.lang.System.Logger.Level;

/**
 * Development mailer: writes each mail, links included, to {@code System.Logger}
 * "dev.portcullis.mail" at INFO so a local user can click them. Links are secrets: never use this
 * in production.
 */
public final class LoggingMailer implements Mailer {

    private final System.Logger logger = System.getLogger("dev.portcullis.mail");
    private final MailText text;

    public LoggingMailer(MailText text) {
        this.text = text;
    }

    @Override
    public void send(AccountMail mail) {
        logger.log(Level.INFO, "\n--- mail to {0}\nSubject: {1}\n\n{2}---", mail.to().display(), text.subject(mail), text.body(mail));
    }
}
