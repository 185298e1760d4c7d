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
            "csrf-secret", "trusted-proxies", "client-address-header", "allowed-origins", "remember-me-cookie-name",
            "token-endpoint-paths", "verify-email-page", "email-verified-path", "forgot-password-page", "reset-requested-path",
            "reset-password-page", "password-reset-path", "email-change-page", "email-change-requested-path",
            "confirm-email-page", "email-changed-path");

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
    private final String rememberMeCookieName;
    private final List<PathPattern> tokenEndpointPaths;
    private final String verifyEmailPage;
    private final String emailVerifiedPath;
    private final String forgotPasswordPage;
    private final String resetRequestedPath;
    private final String resetPasswordPage;
    private final String passwordResetPath;
    private final String emailChangePage;
    private final String emailChangeRequestedPath;
    private final String confirmEmailPage;
    private final String emailChangedPath;

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
        this.rememberMeCookieName = b.rememberMeCookieName;
        this.tokenEndpointPaths = b.tokenEndpointPaths.stream().map(PathPattern::new).toList();
        this.verifyEmailPage = b.verifyEmailPage;
        this.emailVerifiedPath = b.emailVerifiedPath;
        this.forgotPasswordPage = b.forgotPasswordPage;
        this.resetRequestedPath = b.resetRequestedPath;
        this.resetPasswordPage = b.resetPasswordPage;
        this.passwordResetPath = b.passwordResetPath;
        this.emailChangePage = b.emailChangePage;
        this.emailChangeRequestedPath = b.emailChangeRequestedPath;
        this.confirmEmailPage = b.confirmEmailPage;
        this.emailChangedPath = b.emailChangedPath;
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
        setters.put("remember-me-cookie-name", b::rememberMeCookieName);
        setters.put("token-endpoint-paths", v -> items(v).forEach(b::tokenEndpointPath));
        setters.put("verify-email-page", b::verifyEmailPage);
        setters.put("email-verified-path", b::emailVerifiedPath);
        setters.put("forgot-password-page", b::forgotPasswordPage);
        setters.put("reset-requested-path", b::resetRequestedPath);
        setters.put("reset-password-page", b::resetPasswordPage);
        setters.put("password-reset-path", b::passwordResetPath);
        setters.put("email-change-page", b::emailChangePage);
        setters.put("email-change-requested-path", b::emailChangeRequestedPath);
        setters.put("confirm-email-page", b::confirmEmailPage);
        setters.put("email-changed-path", b::emailChangedPath);
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

    public String rememberMeCookieName() {
        return rememberMeCookieName;
    }

    List<PathPattern> tokenEndpointPaths() {
        return tokenEndpointPaths;
    }

    public String verifyEmailPage() {
        return verifyEmailPage;
    }

    public String emailVerifiedPath() {
        return emailVerifiedPath;
    }

    public String forgotPasswordPage() {
        return forgotPasswordPage;
    }

    public String resetRequestedPath() {
        return resetRequestedPath;
    }

    public String resetPasswordPage() {
        return resetPasswordPage;
    }

    public String passwordResetPath() {
        return passwordResetPath;
    }

    public String emailChangePage() {
        return emailChangePage;
    }

    public String emailChangeRequestedPath() {
        return emailChangeRequestedPath;
    }

    public String confirmEmailPage() {
        return confirmEmailPage;
    }

    public String emailChangedPath() {
        return emailChangedPath;
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
        private String rememberMeCookieName = "portcullis_remember";
        private final List<String> tokenEndpointPaths = new ArrayList<>();
        private String verifyEmailPage = "/verify-email";
        private String emailVerifiedPath = "/login?email-verified";
        private String forgotPasswordPage = "/forgot-password";
        private String resetRequestedPath = "/login?reset-requested";
        private String resetPasswordPage = "/reset-password";
        private String passwordResetPath = "/login?password-reset";
        private String emailChangePage = "/email";
        private String emailChangeRequestedPath = "/email?confirmation-sent";
        private String confirmEmailPage = "/confirm-email";
        private String emailChangedPath = "/login?email-changed";

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

        /**
         * Remember-me cookie name, without the {@code __Host-} prefix; default
         * {@code portcullis_remember}. The cookie is written by {@link WebAuth#rememberMe()} and read
         * by the filter when there is no valid session.
         */
        public Builder rememberMeCookieName(String name) {
            this.rememberMeCookieName = cookie(name, "rememberMeCookieName");
            return this;
        }

        /**
         * Marks a pattern (e.g. {@code /api/tokens/*}) as the home of {@link TokenEndpointsServlet}:
         * unsafe requests there with a JSON body ({@code Content-Type: application/json}) need no
         * CSRF token, get no cookies, and never resume a remember-me login. The Origin and
         * {@code Sec-Fetch-Site} checks still apply. Safe because those endpoints read credentials
         * only from the body, never from cookies, and a cross-site page cannot send a JSON body
         * without a CORS preflight, which the filter does not answer.
         */
        public Builder tokenEndpointPath(String pattern) {
            new PathPattern(pattern);
            tokenEndpointPaths.add(pattern);
            return this;
        }

        /** The app's page for verification links; failed {@code /verify-email} and {@code /resend-verification} forms are forwarded here. Default {@code /verify-email}. */
        public Builder verifyEmailPage(String path) {
            this.verifyEmailPage = page(path, "verifyEmailPage");
            return this;
        }

        /** Where a verified address goes; default {@code /login?email-verified}. */
        public Builder emailVerifiedPath(String path) {
            this.emailVerifiedPath = page(path, "emailVerifiedPath");
            return this;
        }

        /** The app's "forgot password" page; failed {@code /forgot-password} forms are forwarded here. Default {@code /forgot-password}. */
        public Builder forgotPasswordPage(String path) {
            this.forgotPasswordPage = page(path, "forgotPasswordPage");
            return this;
        }

        /** Where {@code /forgot-password} goes, whether or not the account exists; default {@code /login?reset-requested}. */
        public Builder resetRequestedPath(String path) {
            this.resetRequestedPath = page(path, "resetRequestedPath");
            return this;
        }

        /** The app's page for reset links; failed {@code /reset-password} forms are forwarded here. Default {@code /reset-password}. */
        public Builder resetPasswordPage(String path) {
            this.resetPasswordPage = page(path, "resetPasswordPage");
            return this;
        }

        /** Where a successful reset goes (the user is not logged in); default {@code /login?password-reset}. */
        public Builder passwordResetPath(String path) {
            this.passwordResetPath = page(path, "passwordResetPath");
            return this;
        }

        /** The app's "change email" page; failed {@code /email} forms are forwarded here. Default {@code /email}. */
        public Builder emailChangePage(String path) {
            this.emailChangePage = page(path, "emailChangePage");
            return this;
        }

        /** Where a requested email change goes; default {@code /email?confirmation-sent}. */
        public Builder emailChangeRequestedPath(String path) {
            this.emailChangeRequestedPath = page(path, "emailChangeRequestedPath");
            return this;
        }

        /** The app's page for email-change links; failed {@code /confirm-email} forms are forwarded here. Default {@code /confirm-email}. */
        public Builder confirmEmailPage(String path) {
            this.confirmEmailPage = page(path, "confirmEmailPage");
            return this;
        }

        /** Where a confirmed email change goes (every session ended); default {@code /login?email-changed}. */
        public Builder emailChangedPath(String path) {
            this.emailChangedPath = page(path, "emailChangedPath");
            return this;
        }

        public AuthConfig build() {
            if (cookieName.equals(csrfCookieName) || cookieName.equals(rememberMeCookieName)
                    || csrfCookieName.equals(rememberMeCookieName)) {
                throw new IllegalStateException("cookieName, csrfCookieName and rememberMeCookieName must differ");
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
