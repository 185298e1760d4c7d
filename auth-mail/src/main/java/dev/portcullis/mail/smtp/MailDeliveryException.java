package dev.portcullis.mail.smtp;

import dev.portcullis.spi.PortcullisException;

/** The SMTP server could not be reached or refused the message. */
public class MailDeliveryException extends PortcullisException {

    private static final long serialVersionUID = 1L;

    public MailDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
