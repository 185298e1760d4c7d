package dev.portcullis.spi;

/**
 * Renders and delivers {@link AccountMail}. Thread-safe. Called on the core's mail executor, not
 * on the request thread; a failure is a {@link PortcullisException} (logged by the core, never
 * shown to the requester, who must not learn whether a mail went out).
 */
@FunctionalInterface
public interface Mailer {

    void send(AccountMail mail);
}
