package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;
import dev.portcullis.passkey.PasskeySettings;
import dev.portcullis.servlet.AuthConfig;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the app reads from its environment, read once at start-up (see the README's
 * configuration table). Invalid values stop the app with a message naming the variable.
 *
 * @param port             {@code PORT}, default 8080 (0 picks a free port)
 * @param dbUrl            {@code PORTCULLIS_DB_URL}, default a durable H2 file under {@code ./data}
 * @param smtpHost         {@code PORTCULLIS_SMTP_HOST}; empty: mails are logged to the console
 * @param baseUrl          {@code PORTCULLIS_BASE_URL}: the public origin, used in mailed links
 * @param registrationMode {@code PORTCULLIS_REGISTRATION}: {@code immediate} or {@code verify-first}
 * @param jwtKeyFile       {@code PORTCULLIS_JWT_KEY_FILE}: the access-token signing key (a private
 *                         JWK), created on first start; default {@code ./data/jwt-signing-key.json}
 * @param deployment       where the app listens and what sits in front of it
 * @param userTable        {@code PORTCULLIS_USER_TABLE*}: an existing user table to map, if any
 * @param twoFactor        {@code PORTCULLIS_SECOND_FACTOR_KEY}, {@code PORTCULLIS_MFA_REQUIRED_ROLES},
 *                         {@code PORTCULLIS_STEP_UP_MINUTES}
 * @param passkeys         {@code PORTCULLIS_PASSKEY*}: the relying party of passkey sign-in
 * @param hashing          {@code PORTCULLIS_HASHING_*}: how many password hashes run at once and
 *                         how many sign-ins wait for one, before the rest are answered "busy"
 */
public record AppSettings(int port, String dbUrl, String dbUser, String dbPassword, Optional<String> smtpHost,
                          int smtpPort, String smtpSecurity, String smtpUser, String smtpPassword, String mailFrom,
                          URI baseUrl, RegistrationMode registrationMode, Path jwtKeyFile, Deployment deployment,
                          Optional<UserTableSettings> userTable, TwoFactorSettings twoFactor,
                          Passkeys passkeys, Hashing hashing) {

    /**
     * The embedded default. {@code WRITE_DELAY=0} makes H2 write every commit to the file before the
     * statement returns, so an answered write survives a crash of the process (H2's default delay of
     * 500 ms lost acknowledged registrations to {@code kill -9}).
     */
    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/portcullis;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";

    /**
     * Where the app listens and what sits in front of it (issue 12, item 7).
     *
     * @param bindAddress         {@code PORTCULLIS_BIND}: the interface to listen on; default
     *                            {@code 127.0.0.1}, so a fresh start is not reachable from the network
     * @param trustedProxies      {@code PORTCULLIS_TRUSTED_PROXIES}: comma-separated IPs or CIDR blocks of
     *                            reverse proxies; their client-address header is believed, and they are
     *                            exempt from the per-client connection limit
     * @param clientAddressHeader {@code PORTCULLIS_CLIENT_ADDRESS_HEADER}: the header those proxies set;
     *                            default {@code X-Forwarded-For} when there are trusted proxies
     * @param allowedOrigins      {@code PORTCULLIS_ALLOWED_ORIGINS}: comma-separated origins accepted in
     *                            {@code Origin} besides the request's own; the base URL's origin always is
     * @param secureCookies       {@code PORTCULLIS_SECURE_COOKIES}: {@code true} marks every cookie
     *                            {@code Secure} with the {@code __Host-} prefix even when the app itself
     *                            speaks plain HTTP behind a TLS proxy; default {@code true} when the
     *                            base URL is {@code https}
     */
    public record Deployment(String bindAddress, List<String> trustedProxies, Optional<String> clientAddressHeader,
                             List<String> allowedOrigins, boolean secureCookies) {
        public Deployment {
            trustedProxies = List.copyOf(trustedProxies);
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }

    /**
     * Passkeys (WebAuthn). The relying party comes from configuration only, never from a request's
     * Host header.
     *
     * @param enabled          {@code PORTCULLIS_PASSKEYS}: {@code auto} (default: on when the base URL
     *                         is {@code https} or {@code http://localhost}, the secure contexts where
     *                         browsers offer passkeys), {@code on} or {@code off}
     * @param rpId             {@code PORTCULLIS_PASSKEY_RP_ID}: default the base URL's host; passkeys
     *                         are bound to it for good
     * @param origins          {@code PORTCULLIS_PASSKEY_ORIGINS}: comma-separated origins the pages are
     *                         served from; default the base URL's origin
     * @param userVerification {@code PORTCULLIS_PASSKEY_USER_VERIFICATION}: {@code required} (default:
     *                         a passkey sign-in is then multi-factor) or {@code preferred}
     */
    public record Passkeys(boolean enabled, String rpId, List<String> origins,
                           PasskeySettings.UserVerification userVerification) {
        public Passkeys {
            origins = List.copyOf(origins);
        }
    }

    /**
     * The hashing gate's limits ({@code PortcullisBuilder.hashingLimits}); each empty value keeps
     * the library's default. A sign-in beyond them is answered 503 with {@code Retry-After}, and
     * its connection is held for that delay without a thread.
     *
     * @param concurrency {@code PORTCULLIS_HASHING_CONCURRENCY}: hashes at once, 1 to 1024;
     *                    default the cores
     * @param maxWait     {@code PORTCULLIS_HASHING_MAX_WAIT_MS}: how long a sign-in waits for a
     *                    slot, 0 to 60000 ms; default 2 s
     * @param maxWaiting  {@code PORTCULLIS_HASHING_MAX_WAITING}: sign-ins waiting at once, 0 to
     *                    8192; default 8 per slot, at least 64
     */
    public record Hashing(OptionalInt concurrency, Optional<Duration> maxWait, OptionalInt maxWaiting) {

        /** The library's defaults throughout. */
        public static Hashing defaults() {
            return new Hashing(OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
        }

        /** Whether any limit was set. */
        public boolean configured() {
            return concurrency.isPresent() || maxWait.isPresent() || maxWaiting.isPresent();
        }
    }

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
        URI baseUrl = baseUrl(env.getOrDefault("PORTCULLIS_BASE_URL", "http://localhost:" + (port == 0 ? 8080 : port)));
        return new AppSettings(port, dbUrl, env.getOrDefault("PORTCULLIS_DB_USER", ""),
                env.getOrDefault("PORTCULLIS_DB_PASSWORD", ""),
                Optional.ofNullable(env.get("PORTCULLIS_SMTP_HOST")).filter(h -> !h.isBlank()),
                integer(env, "PORTCULLIS_SMTP_PORT", 25), security,
                env.getOrDefault("PORTCULLIS_SMTP_USER", ""), env.getOrDefault("PORTCULLIS_SMTP_PASSWORD", ""),
                env.getOrDefault("PORTCULLIS_MAIL_FROM", "Portcullis Demo <no-reply@localhost>"),
                baseUrl, registration, Path.of(env.getOrDefault("PORTCULLIS_JWT_KEY_FILE", "./data/jwt-signing-key.json")),
                deployment(env, baseUrl), UserTableSettings.fromEnvironment(env), TwoFactorSettings.fromEnvironment(env),
                passkeys(env, baseUrl), hashing(env));
    }

    private static Hashing hashing(Map<String, String> env) {
        OptionalInt concurrency = bounded(env, "PORTCULLIS_HASHING_CONCURRENCY", 1, 1024);
        OptionalInt maxWaitMillis = bounded(env, "PORTCULLIS_HASHING_MAX_WAIT_MS", 0, 60_000);
        OptionalInt maxWaiting = bounded(env, "PORTCULLIS_HASHING_MAX_WAITING", 0, 8192);
        Optional<Duration> maxWait = maxWaitMillis.isPresent() ? Optional.of(Duration.ofMillis(maxWaitMillis.getAsInt()))
                : Optional.empty();
        return new Hashing(concurrency, maxWait, maxWaiting);
    }

    private static OptionalInt bounded(Map<String, String> env, String name, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return OptionalInt.of(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                    + ", was '" + value + "'");
        }
    }

    private static Passkeys passkeys(Map<String, String> env, URI baseUrl) {
        String on = env.getOrDefault("PORTCULLIS_PASSKEYS", "auto").strip().toLowerCase(Locale.ROOT);
        boolean enabled = switch (on) {
            case "auto" -> baseUrl.getScheme().equalsIgnoreCase("https") || baseUrl.getHost().equalsIgnoreCase("localhost");
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("PORTCULLIS_PASSKEYS must be auto, on or off, was '" + on + "'");
        };
        String rpId = env.getOrDefault("PORTCULLIS_PASSKEY_RP_ID", baseUrl.getHost()).strip().toLowerCase(Locale.ROOT);
        List<String> origins = items(env.get("PORTCULLIS_PASSKEY_ORIGINS"));
        if (origins.isEmpty()) {
            origins = List.of(origin(baseUrl));
        }
        String uv = env.getOrDefault("PORTCULLIS_PASSKEY_USER_VERIFICATION", "required").strip().toLowerCase(Locale.ROOT);
        PasskeySettings.UserVerification verification = switch (uv) {
            case "required" -> PasskeySettings.UserVerification.REQUIRED;
            case "preferred" -> PasskeySettings.UserVerification.PREFERRED;
            default -> throw new IllegalArgumentException(
                    "PORTCULLIS_PASSKEY_USER_VERIFICATION must be required or preferred, was '" + uv + "'");
        };
        Passkeys passkeys = new Passkeys(enabled, rpId, origins, verification);
        if (passkeys.enabled()) {
            // The library checks the values now, so a bad one names its variable at start-up.
            PasskeySettings.Builder probe = PasskeySettings.builder();
            try {
                probe.rpId(rpId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PORTCULLIS_PASSKEY_RP_ID: " + e.getMessage());
            }
            for (String origin : origins) {
                try {
                    probe.origin(origin);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PORTCULLIS_PASSKEY_ORIGINS: " + e.getMessage());
                }
                String host = URI.create(origin).getHost();
                if (!host.equals(rpId) && !host.endsWith("." + rpId)) {
                    throw new IllegalArgumentException("PORTCULLIS_PASSKEY_ORIGINS: " + origin
                            + " is not on PORTCULLIS_PASSKEY_RP_ID " + rpId + " or a host under it");
                }
            }
        }
        return passkeys;
    }

    /** The scheme, host and port of the base URL, as browsers send it in {@code Origin}. */
    public String origin() {
        return origin(baseUrl);
    }

    private static String origin(URI url) {
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        return (url.getScheme() + "://" + url.getHost() + port).toLowerCase(Locale.ROOT);
    }

    private static URI baseUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTCULLIS_BASE_URL must be an http(s) URL, was '" + value + "'");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("PORTCULLIS_BASE_URL must be an http(s) URL, was '" + value + "'");
        }
        return uri;
    }

    private static Deployment deployment(Map<String, String> env, URI baseUrl) {
        String bind = env.getOrDefault("PORTCULLIS_BIND", "127.0.0.1").strip();
        try {
            if (bind.isEmpty()) {
                throw new UnknownHostException();
            }
            InetAddress.getByName(bind);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("PORTCULLIS_BIND must be an address of this machine (0.0.0.0 for all), "
                    + "was '" + bind + "'");
        }
        List<String> proxies = items(env.get("PORTCULLIS_TRUSTED_PROXIES"));
        Optional<String> header = Optional.ofNullable(env.get("PORTCULLIS_CLIENT_ADDRESS_HEADER")).map(String::strip)
                .filter(h -> !h.isEmpty());
        if (header.isPresent() && proxies.isEmpty()) {
            throw new IllegalArgumentException("PORTCULLIS_CLIENT_ADDRESS_HEADER needs PORTCULLIS_TRUSTED_PROXIES: "
                    + "the header is believed only from them");
        }
        if (!proxies.isEmpty() && header.isEmpty()) {
            header = Optional.of("X-Forwarded-For");
        }
        List<String> origins = items(env.get("PORTCULLIS_ALLOWED_ORIGINS"));
        String secure = env.getOrDefault("PORTCULLIS_SECURE_COOKIES", "").strip().toLowerCase(Locale.ROOT);
        boolean secureCookies = switch (secure) {
            case "" -> baseUrl.getScheme().equalsIgnoreCase("https");
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("PORTCULLIS_SECURE_COOKIES must be true or false, was '" + secure + "'");
        };
        Deployment deployment = new Deployment(bind, proxies, header, origins, secureCookies);
        check(deployment, origin(baseUrl));
        return deployment;
    }

    /** Lets the library validate the values now, so a bad one names its variable at start-up. */
    private static void check(Deployment d, String publicOrigin) {
        AuthConfig.Builder probe = AuthConfig.builder();
        try {
            probe.allowedOrigin(publicOrigin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTCULLIS_BASE_URL: " + e.getMessage());
        }
        try {
            probe.trustedProxies(d.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTCULLIS_TRUSTED_PROXIES: " + e.getMessage());
        }
        try {
            d.clientAddressHeader().ifPresent(probe::clientAddressHeader);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTCULLIS_CLIENT_ADDRESS_HEADER: " + e.getMessage());
        }
        try {
            d.allowedOrigins().forEach(probe::allowedOrigin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTCULLIS_ALLOWED_ORIGINS: " + e.getMessage());
        }
    }

    private static List<String> items(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
        return "AppSettings[port=" + port + ", bind=" + deployment.bindAddress() + ", db=" + dbUrl + ", smtp="
                + smtpHost.orElse("(console)") + ", baseUrl=" + baseUrl + ", registration=" + registrationMode
                + ", trustedProxies=" + deployment.trustedProxies() + ", allowedOrigins=" + deployment.allowedOrigins()
                + ", secureCookies=" + deployment.secureCookies()
                + ", passkeys=" + (passkeys.enabled() ? passkeys.rpId() + " " + passkeys.origins() + " UV "
                        + passkeys.userVerification() : "off")
                + userTable.map(t -> ", userTable=" + t.table() + ", keepLegacyHashes=" + t.keepLegacyHashes()).orElse("")
                + ", " + twoFactor
                + (hashing.configured() ? ", hashing=" + hashing : "") + "]";
    }
}
