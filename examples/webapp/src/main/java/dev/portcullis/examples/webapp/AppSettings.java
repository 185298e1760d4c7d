package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the app reads from its environment, read once at start-up (see the README's
 * configuration table). Invalid values stop the app with a message naming the variable.
 *
 * @param port             {@code PORT}, default 8080 (0 picks a free port)
 * @param dbUrl            {@code PORTCULLIS_DB_URL}, default an H2 file under {@code ./data}
 * @param smtpHost         {@code PORTCULLIS_SMTP_HOST}; empty: mails are logged to the console
 * @param baseUrl          {@code PORTCULLIS_BASE_URL}: the origin used in mailed links
 * @param registrationMode {@code PORTCULLIS_REGISTRATION}: {@code immediate} or {@code verify-first}
 * @param jwtKeyFile       {@code PORTCULLIS_JWT_KEY_FILE}: the access-token signing key (a private
 *                         JWK), created on first start; default {@code ./data/jwt-signing-key.json}
 */
public record AppSettings(int port, String dbUrl, String dbUser, String dbPassword, Optional<String> smtpHost,
                          int smtpPort, String smtpSecurity, String smtpUser, String smtpPassword, String mailFrom,
                          URI baseUrl, RegistrationMode registrationMode, Path jwtKeyFile) {

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/portcullis;DB_CLOSE_ON_EXIT=FALSE";

    public static AppSettings fromEnvironment(Map<String, String> env) {
        int port = integer(env, "PORT", 8080);
        String dbUrl = env.getOrDefault("PORTCULLIS_DB_URL", DEFAULT_DB_URL);
        if (!dbUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("PORTCULLIS_DB_URL must be a JDBC URL (jdbc:...), was " + dbUrl);
        }
        String mode = env.getOrDefault("PORTCULLIS_REGISTRATION", "immediate");
        RegistrationMode registration = switch (mode) {
            case "immediate" -> RegistrationMode.IMMEDIATE;
            case "verify-first" -> RegistrationMode.VERIFY_FIRST;
            default -> throw new IllegalArgumentException(
                    "PORTCULLIS_REGISTRATION must be 'immediate' or 'verify-first', was '" + mode + "'");
        };
        String security = env.getOrDefault("PORTCULLIS_SMTP_SECURITY", "none");
        if (!security.equals("none") && !security.equals("starttls") && !security.equals("tls")) {
            throw new IllegalArgumentException("PORTCULLIS_SMTP_SECURITY must be none, starttls or tls, was " + security);
        }
        URI baseUrl = URI.create(env.getOrDefault("PORTCULLIS_BASE_URL", "http://localhost:" + (port == 0 ? 8080 : port)));
        return new AppSettings(port, dbUrl, env.getOrDefault("PORTCULLIS_DB_USER", ""),
                env.getOrDefault("PORTCULLIS_DB_PASSWORD", ""),
                Optional.ofNullable(env.get("PORTCULLIS_SMTP_HOST")).filter(h -> !h.isBlank()),
                integer(env, "PORTCULLIS_SMTP_PORT", 25), security,
                env.getOrDefault("PORTCULLIS_SMTP_USER", ""), env.getOrDefault("PORTCULLIS_SMTP_PASSWORD", ""),
                env.getOrDefault("PORTCULLIS_MAIL_FROM", "Portcullis Demo <no-reply@localhost>"),
                baseUrl, registration, Path.of(env.getOrDefault("PORTCULLIS_JWT_KEY_FILE", "./data/jwt-signing-key.json")));
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535), was '" + value + "'");
        }
    }

    /** Never prints passwords. */
    @Override
    public String toString() {
        return "AppSettings[port=" + port + ", db=" + dbUrl + ", smtp=" + smtpHost.orElse("(console)") + ", baseUrl="
                + baseUrl + ", registration=" + registrationMode + "]";
    }
}
