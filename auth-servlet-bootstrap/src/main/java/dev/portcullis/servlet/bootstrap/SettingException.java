package dev.portcullis.servlet.bootstrap;

/** A setting that is missing, unknown or unusable; the message names the key. */
final class SettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SettingException(String message) {
        super(message);
    }

    SettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
