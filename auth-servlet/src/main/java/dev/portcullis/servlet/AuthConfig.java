package dev.portcullis.servlet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Settings of an {@link AuthFilter} (and so of the {@link AuthEndpointsServlet} behind it).
 * Immutable and thread-safe; build one with {@link #builder()}, or let the filter read its
 * {@code web.xml} init parameters through {@link #fromInitParameters}. Every option has a
 * default; the README's configuration table lists them.
 *
 * <p>All paths are context-relative ({@code /login}, not {@code /myapp/login}).
 */
public final class AuthConfig {

    /** How the session and CSRF cookies are secured. */
    public enum CookieSecurity {
        /**
         * {@code Secure} and the {@code __Host-} name prefix when the request arrived over HTTPS
         * ({@code request.isSecure()}); plain names without {@code Secure} over HTTP, which only
         * suits local development or a container that reports TLS correctly.
         */
        AUTO,
        /** Always {@code Secure} with the {@code __Host-} prefix, e.g. behind a TLS-terminating proxy. */
        ALWAYS
    }

    /** Init-parameter names understood by {@link #fromInitParameters}. */
    public static final Set<String> INIT_PARAMETERS = Set.of(
            "portcullis-attribute", "protect", "public-paths", "api-paths", "login-page", "register-page",
            "after-login-path", "after-logout-path", "verification-sent-path", "cookie-name", "csrf-cookie-name", "secure-cookies",
            "csrf-secret", "trusted-proxies", "client-address-header", "allowed-origins");

    private static final Pattern SPLIT = Pattern.compile("[,\\n]");
    private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9a-fA-F:.]+](:[0-9]{1,5})?");

    private final List<ProtectionRule> rules;
    private final List<PathPattern> publicPaths;
    private final List<PathPattern> apiPaths;
    private final String loginPage;
    private final String registerPage;
    private final String afterLoginPath;
    private final String afterLogoutPath;
    private final String verificationSentPath;
    private final String cookieName;
    private final String csrfCookieName;
    private final CookieSecurity cookieSecurity;
    private final Optional<byte[]> csrfSecret;
    private final List<String> trustedProxies;
    private final Optional<String> clientAddressHeader;
    private final List<String> allowedOrigins;
    private final Optional<BearerAuthenticator> bearerAuthenticator;

    private AuthConfig(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.publicPaths = b.publicPaths.stream().map(PathPattern::new).toList();
        this.apiPaths = b.apiPaths.stream().map(PathPattern::new).toList();
        this.loginPage = b.loginPage;
        this.registerPage = b.registerPage;
        this.afterLoginPath = b.afterLoginPath;
        this.afterLogoutPath = b.afterLogoutPath;
        this.verificationSentPath = b.verificationSentPath;
        this.cookieName = b.cookieName;
        this.csrfCookieName = b.csrfCookieName;
        this.cookieSecurity = b.cookieSecurity;
        this.csrfSecret = b.csrfSecret.map(byte[]::clone);
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.clientAddressHeader = b.clientAddressHeader;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.bearerAuthenticator = b.bearerAuthenticator;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads settings from {@code web.xml}-style parameters ({@link #INIT_PARAMETERS}); a missing or
     * blank parameter keeps its default. {@code portcullis-attribute} is read by the filter, not
     * here.
     *
     * @param parameter returns a parameter's value or {@code null}
     * @throws IllegalArgumentException naming the parameter whose value is unusable
     */
    public static AuthConfig fromInitParameters(Function<String, String> parameter) {
        Builder b = builder();
        Map<String, java.util.function.Consumer<String>> setters = new LinkedHashMap<>();
        setters.put("protect", v -> items(v).forEach(item -> {
            String[] parts = item.split("\\s+");
            if (parts.length > 2) {
                throw new IllegalArgumentException("each item is 'PATTERN' or 'PATTERN ROLE', was: " + item);
            }
            b.protect(parts.length == 1 ? ProtectionRule.authenticated(parts[0]) : ProtectionRule.role(parts[0], parts[1]));
        }));
        setters.put("public-paths", v -> items(v).forEach(b::publicPath));
        setters.put("api-paths", v -> items(v).forEach(b::apiPath));
        setters.put("login-page", b::loginPage);
        setters.put("register-page", b::registerPage);
        setters.put("after-login-path", b::afterLoginPath);
        setters.put("after-logout-path", b::afterLogoutPath);
        setters.put("verification-sent-path", b::verificationSentPath);
        setters.put("cookie-name", b::cookieName);
        setters.put("csrf-cookie-name", b::csrfCookieName);
        setters.put("secure-cookies", v -> b.cookieSecurity(switch (v.toLowerCase(Locale.ROOT)) {
            case "auto" -> CookieSecurity.AUTO;
            case "always" -> CookieSecurity.ALWAYS;
            default -> throw new IllegalArgumentException("use 'auto' or 'always', was: " + v);
        }));
        setters.put("csrf-secret", v -> {
            try {
                b.csrfSecret(Base64.getDecoder().decode(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not base64, or " + e.getMessage());
            }
        });
        setters.put("trusted-proxies", v -> b.trustedProxies(items(v)));
        setters.put("client-address-header", b::clientAddressHeader);
        setters.put("allowed-origins", v -> items(v).forEach(b::allowedOrigin));
        for (Map.Entry<String, java.util.function.Consumer<String>> e : setters.entrySet()) {
            String value = parameter.apply(e.getKey());
            if (value != null && !value.isBlank()) {
                try {
                    e.getValue().accept(value.strip());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("init-param " + e.getKey() + ": " + ex.getMessage(), ex);
                }
            }
        }
        return b.build();
    }

    private static List<String> items(String value) {
        return Arrays.stream(SPLIT.split(value)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public List<ProtectionRule> rules() {
        return rules;
    }

    List<PathPattern> publicPaths() {
        return publicPaths;
    }

    List<PathPattern> apiPaths() {
        return apiPaths;
    }

    public String loginPage() {
        return loginPage;
    }

    public String registerPage() {
        return registerPage;
    }

    public String afterLoginPath() {
        return afterLoginPath;
    }

    public String afterLogoutPath() {
        return afterLogoutPath;
    }

    public String verificationSentPath() {
        return verificationSentPath;
    }

    public String cookieName() {
        return cookieName;
    }

    public String csrfCookieName() {
        return csrfCookieName;
    }

    public CookieSecurity cookieSecurity() {
        return cookieSecurity;
    }

    Optional<byte[]> csrfSecret() {
        return csrfSecret.map(byte[]::clone);
    }

    public List<String> trustedProxies() {
        return trustedProxies;
    }

    public Optional<String> clientAddressHeader() {
        return clientAddressHeader;
    }

    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public Optional<BearerAuthenticator> bearerAuthenticator() {
        return bearerAuthenticator;
    }

    /** Mutable, single use; each setter checks its argument at once. */
    public static final class Builder {
        private final List<ProtectionRule> rules = new ArrayList<>();
        private final List<String> publicPaths = new ArrayList<>();
        private final List<String> apiPaths = new ArrayList<>();
        private String loginPage = "/login";
        private String registerPage = "/register";
        private String afterLoginPath = "/";
        private String afterLogoutPath = "/";
        private String verificationSentPath = "/login?verification-sent";
        private String cookieName = "portcullis_session";
        private String csrfCookieName = "portcullis_csrf";
        private CookieSecurity cookieSecurity = CookieSecurity.AUTO;
        private Optional<byte[]> csrfSecret = Optional.empty();
        private List<String> trustedProxies = List.of();
        private Optional<String> clientAddressHeader = Optional.empty();
        private final List<String> allowedOrigins = new ArrayList<>();
        private Optional<BearerAuthenticator> bearerAuthenticator = Optional.empty();

        private Builder() {
        }

        /** Adds a protection rule; a path must satisfy every rule that matches it. */
        public Builder protect(ProtectionRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Shorthand for {@code protect(ProtectionRule.authenticated(pattern))}. */
        public Builder protect(String pattern) {
            return protect(ProtectionRule.authenticated(pattern));
        }

        /** Shorthand for {@code protect(ProtectionRule.role(pattern, role))}. */
        public Builder protect(String pattern, String role) {
            return protect(ProtectionRule.role(pattern, role));
        }

        /**
         * Exempts a pattern from every protection rule (e.g. {@code /static/*} under a {@code /*}
         * rule). Matched exactly, case included. The login and register pages are always exempt.
         */
        public Builder publicPath(String pattern) {
            new PathPattern(pattern);
            publicPaths.add(pattern);
            return this;
        }

        /** Requests under this pattern are API calls: they get 401 JSON, never a redirect. */
        public Builder apiPath(String pattern) {
            new PathPattern(pattern);
            apiPaths.add(pattern);
            return this;
        }

        /** The app's login page (GET), target of the redirect for anonymous browsers; default {@code /login}. */
        public Builder loginPage(String path) {
            this.loginPage = page(path, "loginPage");
            return this;
        }

        /** The app's sign-up page (GET), where failed registrations are re-rendered; default {@code /register}. */
        public Builder registerPage(String path) {
            this.registerPage = page(path, "registerPage");
            return this;
        }

        /** Where login and registration go when {@code next} is absent or unsafe; default {@code /}. */
        public Builder afterLoginPath(String path) {
            this.afterLoginPath = page(path, "afterLoginPath");
            return this;
        }

        /** Where logout redirects (e.g. {@code /login?logged-out}); default {@code /}. */
        public Builder afterLogoutPath(String path) {
            this.afterLogoutPath = page(path, "afterLogoutPath");
            return this;
        }

        /**
         * Where a form registration goes in the core's verify-first mode, where nobody is logged in
         * and the answer must not reveal whether the address was taken; default
         * {@code /login?verification-sent}.
         */
        public Builder verificationSentPath(String path) {
            this.verificationSentPath = page(path, "verificationSentPath");
            return this;
        }

        /** Session cookie name, without the {@code __Host-} prefix; default {@code portcullis_session}. */
        public Builder cookieName(String name) {
            this.cookieName = cookie(name, "cookieName");
            return this;
        }

        /** CSRF cookie name, without the {@code __Host-} prefix; default {@code portcullis_csrf}. */
        public Builder csrfCookieName(String name) {
            this.csrfCookieName = cookie(name, "csrfCookieName");
            return this;
        }

        /** Default {@link CookieSecurity#AUTO}. */
        public Builder cookieSecurity(CookieSecurity value) {
            this.cookieSecurity = Objects.requireNonNull(value, "cookieSecurity");
            return this;
        }

        /**
         * HMAC key for CSRF tokens, at least 32 bytes. Give every node of a cluster the same key;
         * the default is a random key per filter instance, so tokens in open pages stop working when
         * the application restarts. The array is copied.
         */
        public Builder csrfSecret(byte[] key) {
            Objects.requireNonNull(key, "csrfSecret");
            if (key.length < 32) {
                throw new IllegalArgumentException("csrfSecret must be at least 32 bytes, was " + key.length);
            }
            this.csrfSecret = Optional.of(key.clone());
            return this;
        }

        /**
         * Addresses (IP literals or CIDR blocks such as {@code 10.0.0.0/8}) of reverse proxies whose
         * {@link #clientAddressHeader} is believed. Default none.
         */
        public Builder trustedProxies(List<String> addresses) {
            List<String> copy = List.copyOf(addresses);
            copy.forEach(ClientAddresses::parseBlock); // validates
            this.trustedProxies = copy;
            return this;
        }

        /**
         * Header carrying the client address (e.g. {@code X-Forwarded-For}), read only when the
         * direct peer is a trusted proxy. Default none: the connection's address is used.
         */
        public Builder clientAddressHeader(String name) {
            if (!HEADER_NAME.matcher(Objects.requireNonNull(name, "clientAddressHeader")).matches()) {
                throw new IllegalArgumentException("not a header name: " + name);
            }
            this.clientAddressHeader = Optional.of(name);
            return this;
        }

        /**
         * An extra origin ({@code https://app.example.com}) accepted in the {@code Origin} header of
         * unsafe requests, for when a proxy changes the host the container sees. The request's own
         * origin is always accepted.
         */
        public Builder allowedOrigin(String origin) {
            String o = Objects.requireNonNull(origin, "origin").toLowerCase(Locale.ROOT);
            if (!ORIGIN.matcher(o).matches()) {
                throw new IllegalArgumentException("an origin is scheme://host[:port], was: " + origin);
            }
            allowedOrigins.add(o);
            return this;
        }

        /**
         * Resolves {@code Authorization: Bearer} tokens to users. Without one, bearer requests are
         * anonymous. Requests carrying a bearer token are exempt from CSRF checks and ignore the
         * session cookie.
         */
        public Builder bearerAuthenticator(BearerAuthenticator authenticator) {
            this.bearerAuthenticator = Optional.of(Objects.requireNonNull(authenticator, "bearerAuthenticator"));
            return this;
        }

        public AuthConfig build() {
            if (cookieName.equals(csrfCookieName)) {
                throw new IllegalStateException("cookieName and csrfCookieName must differ");
            }
            if (clientAddressHeader.isPresent() && trustedProxies.isEmpty()) {
                throw new IllegalStateException("clientAddressHeader needs trustedProxies: the header is believed only from them");
            }
            return new AuthConfig(this);
        }

        private static String page(String path, String name) {
            Objects.requireNonNull(path, name);
            if (!SafeRedirects.isSafe(path)) {
                throw new IllegalArgumentException(name + " must be a context-relative path like /login, was: " + path);
            }
            return path;
        }

        private static String cookie(String name, String what) {
            Objects.requireNonNull(name, what);
            if (!COOKIE_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException(what + " must be 1-64 of [A-Za-z0-9_.-] not starting with __, was: " + name);
            }
            return name;
        }
    }
}
