package dev.portcullis.spi;

/**
 * A store could not do its work: the database is unreachable, timed out, or answered with an
 * error. The message names the store and operation; the cause carries the driver's exception.
 * Nothing was changed when this is thrown from a write (stores run multi-statement changes in one
 * transaction).
 */
public class StoreException extends PortcullisException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
