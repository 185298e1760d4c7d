package dev.portcullis.spi;

/**
 * A password hasher failed for a reason other than a wrong password: its native library is
 * missing, it ran out of memory, the stored hash is corrupt. Never reported to users as
 * "wrong password".
 */
public class PasswordHasherException extends PortcullisException {

    private static final long serialVersionUID = 1L;

    public PasswordHasherException(String message, Throwable cause) {
        super(message, cause);
    }
}
