package dev.portcullis;

import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.Mailer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs mail work off the request thread, so a request's timing does not reveal whether a mail was
 * sent (or an account exists), and a slow SMTP server does not hold up a login page.
 */
final class MailOutbox {

    private static final System.Logger LOG = System.getLogger("dev.portcullis.mail");

    private final Mailer mailer;
    private final Executor executor;

    MailOutbox(Mailer mailer, Executor executor) {
        this.mailer = mailer;
        this.executor = executor;
    }

    void send(AccountMail mail) {
        mailer.send(mail);
    }

    /** Runs {@code work} later; failures are logged, never reported to the requester. */
    void later(Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "account mail work failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, "account mail work rejected (queue full or shut down)", e);
        }
    }
}
