package dev.portcullis.internal;

import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.Mailer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs mail work off the request thread, so a request's timing does not reveal whether a mail was
 * sent (or an account exists), and a slow SMTP server does not hold up a login page. Without an
 * executor of the application's, it owns one daemon thread with a bounded queue, ended by
 * {@link #close()}.
 */
public final class MailOutbox implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.portcullis.mail");

    private final Mailer mailer;
    private final Executor executor;
    private final ExecutorService owned;

    public MailOutbox(Mailer mailer, Executor executor) {
        this.mailer = mailer;
        this.owned = executor == null ? newMailExecutor() : null;
        this.executor = executor == null ? owned : executor;
    }

    private static ExecutorService newMailExecutor() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "portcullis-mail");
            t.setDaemon(true);
            return t;
        });
    }

    public void send(AccountMail mail) {
        mailer.send(mail);
    }

    /** Runs {@code work} later; failures are logged, never reported to the requester. */
    public void later(Runnable work) {
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

    /** Stops the owned thread, letting queued mail finish (up to 10 s). */
    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        owned.shutdown();
        try {
            if (!owned.awaitTermination(10, TimeUnit.SECONDS)) {
                owned.shutdownNow();
            }
        } catch (InterruptedException e) {
            owned.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
