package dev.portcullis.spi;

import dev.portcullis.Portcullis;

/**
 * Root of every fault Portcullis raises: infrastructure that failed or configuration that cannot
 * work. Expected outcomes (wrong password, taken email, expired token) are never exceptions; they
 * are results in the method signatures.
 */
public class PortcullisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PortcullisException(String message) {
        super(message);
    }

    public PortcullisException(String message, Throwable cause) {
        super(message, cause);
    }
}
