package dev.portcullis.mail.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the SMTP server.
 *
 * @param host     server name
 * @param port     1..65535 (25/587 plain or STARTTLS, 465 SMTPS)
 * @param security transport security
 * @param username empty for no authentication
 * @param password ignored without a username
 * @param from     sender address, e.g. {@code "Acme <no-reply@acme.example>"}
 * @param timeout  connect, read and write timeout, so a dead server fails fast
 */
public record SmtpSettings(String host, int port, Security security, String username, String password, String from,
                           Duration timeout) {

    /** Transport security. */
    public enum Security {
        /** Plain SMTP: only for a local relay or a test server. */
        NONE,
        /** Upgrade with STARTTLS, and refuse to send if the server does not offer it. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP host must be set and port be 1..65535");
        }
        if (from.isBlank() || from.contains("\r") || from.contains("\n")) {
            throw new IllegalArgumentException("from must be a single-line address");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    /** Unauthenticated, unencrypted, 10 s timeout: a local relay or a test server. */
    public static SmtpSettings plain(String host, int port, String from) {
        return new SmtpSettings(host, port, Security.NONE, "", "", from, Duration.ofSeconds(10));
    }

    public SmtpSettings withSecurity(Security value) {
        return new SmtpSettings(host, port, value, username, password, from, timeout);
    }

    public SmtpSettings withCredentials(String user, String secret) {
        return new SmtpSettings(host, port, security, user, secret, from, timeout);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + ", " + security + ", user=" + (username.isEmpty() ? "-" : username) + "]";
    }
}
