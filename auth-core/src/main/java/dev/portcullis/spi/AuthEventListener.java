package dev.portcullis.spi;

/**
 * Receives audit events synchronously on the calling thread. Implementations are thread-safe and
 * quick; an exception thrown here is logged and swallowed, so auditing never breaks a login.
 */
@FunctionalInterface
public interface AuthEventListener {

    void onEvent(AuthEvent event);
}
