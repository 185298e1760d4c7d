package dev.portcullis.servlet;

import static dev.portcullis.servlet.InitParamTable.param;
import static dev.portcullis.servlet.InitParamTable.text;

import dev.portcullis.account.AccountLinks;
import dev.portcullis.Portcullis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Settings of an {@link AuthFilter} (and so of the {@link AuthEndpointsServlet} behind it), in
 * groups: {@link #protection()}, {@link #pages()}, {@link #cookies()}, {@link #clientAddresses()},
 * {@link #csrf()} and {@link #api()}. Immutable and thread-safe; build one with {@link #builder()}
 * (each setter documents its default), or let the filter read its {@code web.xml} init parameters
 * through {@link #fromInitParameters}.
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

    /**
     * Which paths need a logged-in user. A path must satisfy every rule that matches it; public
     * paths (and always the login and register pages) are exempt.
     *
     * @param rules       the protection rules, in the order added
     * @param publicPaths patterns exempt from every rule, matched exactly (case included)
     */
    public record Protection(List<ProtectionRule> rules, List<String> publicPaths) {
        public Protection {
            rules = List.copyOf(rules);
            publicPaths = List.copyOf(publicPaths);
            publicPaths.forEach(PathPattern::new);
        }
    }

    /**
     * The application's pages (which the filter never serves itself) and where the endpoints go
     * after each flow; see the setters of {@link Builder} for what each one is for.
     */
    public record Pages(String login, String register, String afterLogin, String afterLogout, String verificationSent,
                        String verifyEmail, String emailVerified, String forgotPassword, String resetRequested,
                        String resetPassword, String passwordReset, String emailChange, String emailChangeRequested,
                        String confirmEmail, String emailChanged) {
        public Pages {
            for (String page : List.of(login, register, afterLogin, afterLogout, verificationSent, verifyEmail, emailVerified,
                    forgotPassword, resetRequested, resetPassword, passwordReset, emailChange, emailChangeRequested,
                    confirmEmail, emailChanged)) {
                if (!SafeRedirects.isSafe(page)) {
                    throw new IllegalArgumentException("a page is a context-relative path like /login, was: " + page);
                }
            }
        }
    }

    /**
     * The names (without the {@code __Host-} prefix) and security of the three cookies.
     *
     * @param sessionName    the session cookie
     * @param csrfName       the CSRF cookie
     * @param rememberMeName the remember-me cookie
     * @param security       when they are {@code Secure} and prefixed ({@code __Host-} at path {@code /},
     *                       {@code __Secure-} under a context path)
     * @param path           the cookies' {@code Path}; empty (the default): the context path, so two
     *                       applications on one server keep separate sessions
     */
    public record CookieSettings(String sessionName, String csrfName, String rememberMeName, CookieSecurity security,
                                 Optional<String> path) {
        public CookieSettings {
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(path, "path");
            path.ifPresent(SettingChecks::cookiePath);
            SettingChecks.cookieName(sessionName, "sessionName");
            SettingChecks.cookieName(csrfName, "csrfName");
            SettingChecks.cookieName(rememberMeName, "rememberMeName");
            if (sessionName.equals(csrfName) || sessionName.equals(rememberMeName) || csrfName.equals(rememberMeName)) {
                throw new IllegalStateException("cookieName, csrfCookieName and rememberMeCookieName must differ");
            }
        }
    }

    /**
     * Where the client address for throttling and audit comes from (see {@link ClientAddresses}).
     *
     * @param trustedProxies IP literals or CIDR blocks of reverse proxies whose {@code header} is believed
     * @param header         the forwarding header (e.g. {@code X-Forwarded-For}); empty: the peer's address
     */
    public record ClientAddressSettings(List<String> trustedProxies, Optional<String> header) {
        public ClientAddressSettings {
            trustedProxies = List.copyOf(trustedProxies);
            trustedProxies.forEach(ClientAddresses::parseBlock); // validates
            Objects.requireNonNull(header, "header");
            if (header.isPresent() && trustedProxies.isEmpty()) {
                throw new IllegalStateException("clientAddressHeader needs trustedProxies: the header is believed only from them");
            }
        }
    }

    /**
     * HTTPS behind a TLS-terminating proxy, and HTTP Strict Transport Security.
     *
     * @param forwardedProto        believe {@code X-Forwarded-Proto} (and {@code X-Forwarded-Port}) when the
     *                              connection's peer is a trusted proxy, so that {@code isSecure()}, the
     *                              scheme and the port seen by the filter, the app and the cookies are the
     *                              client's; from anyone else the headers are ignored. Default on (it has no
     *                              effect without trusted proxies).
     * @param hstsMaxAge            {@code max-age} of the {@code Strict-Transport-Security} header sent on every
     *                              answer to an HTTPS request; zero: no header. Default one year.
     * @param hstsIncludeSubDomains add {@code includeSubDomains}. Default on, as OWASP recommends.
     */
    public record HttpsSettings(boolean forwardedProto, Duration hstsMaxAge, boolean hstsIncludeSubDomains) {
        public HttpsSettings {
            Objects.requireNonNull(hstsMaxAge, "hstsMaxAge");
            if (hstsMaxAge.isNegative()) {
                throw new IllegalArgumentException("hstsMaxAge must not be negative");
            }
        }

        /** The header value, or empty when HSTS is off. */
        Optional<String> hstsHeader() {
            return hstsMaxAge.isZero() ? Optional.empty()
                    : Optional.of("max-age=" + hstsMaxAge.toSeconds() + (hstsIncludeSubDomains ? "; includeSubDomains" : ""));
        }
    }

    /**
     * Limits on what the filter reads of a request body itself: it reads an url-encoded form only
     * to find the CSRF field, when no {@code X-CSRF-Token} header was sent.
     *
     * @param maxFormBytes a form declared larger is refused with 413 before a byte of it is read.
     *                     Default 200,000 (Jetty's own default limit).
     */
    public record BodyLimits(long maxFormBytes) {
        public BodyLimits {
            if (maxFormBytes < 1) {
                throw new IllegalArgumentException("maxFormBytes must be positive");
            }
        }
    }

    /**
     * The CSRF defences' settings: extra accepted origins, paths where same-origin headers stand in
     * for the token, and, for clusters, a shared key. Immutable.
     */
    public static final class CsrfSettings {
        private final List<String> allowedOrigins;
        private final List<String> originOnlyPaths;
        private final Optional<byte[]> secret;

        private CsrfSettings(List<String> allowedOrigins, List<String> originOnlyPaths, Optional<byte[]> secret) {
            this.allowedOrigins = List.copyOf(allowedOrigins);
            this.originOnlyPaths = List.copyOf(originOnlyPaths);
            this.secret = secret.map(byte[]::clone);
        }

        /** Patterns where a same-origin {@code Origin} or {@code Sec-Fetch-Site} replaces the token ({@link Builder#csrfOriginOnlyPath}). */
        public List<String> originOnlyPaths() {
            return originOnlyPaths;
        }

        /** Origins accepted in {@code Origin} besides the request's own, lower case. */
        public List<String> allowedOrigins() {
            return allowedOrigins;
        }

        /** Whether a key was configured; without one each filter draws a random key. */
        public boolean hasSharedSecret() {
            return secret.isPresent();
        }

        Optional<byte[]> secret() {
            return secret.map(byte[]::clone);
        }
    }

    /**
     * The API side: paths that answer in JSON and accept bearer tokens, the token endpoints, and
     * who resolves bearer tokens.
     *
     * @param apiPaths            API patterns: 401 JSON instead of a redirect; bearer tokens count only here (anywhere when none)
     * @param tokenEndpointPaths  homes of {@link TokenEndpointsServlet}: JSON requests there need no CSRF token
     * @param bearerAuthenticator resolves {@code Authorization: Bearer}; empty: bearer requests are anonymous
     */
    public record ApiSettings(List<String> apiPaths, List<String> tokenEndpointPaths,
                              Optional<BearerAuthenticator> bearerAuthenticator) {
        public ApiSettings {
            apiPaths = List.copyOf(apiPaths);
            tokenEndpointPaths = List.copyOf(tokenEndpointPaths);
            Stream.concat(apiPaths.stream(), tokenEndpointPaths.stream()).forEach(PathPattern::new);
            Objects.requireNonNull(bearerAuthenticator, "bearerAuthenticator");
        }
    }

    /** The web.xml names of the settings: the one table that {@link #INIT_PARAMETERS} and {@link #fromInitParameters} derive from. */
    private static final InitParamTable<Builder> INIT_PARAMS = new InitParamTable<>(
            param("protect", InitParamTable::rules, (b, rules) -> rules.forEach(b::protect)),
            param("public-paths", InitParamTable::items, (b, v) -> v.forEach(b::publicPath)),
            param("api-paths", InitParamTable::items, (b, v) -> v.forEach(b::apiPath)),
            param("token-endpoint-paths", InitParamTable::items, (b, v) -> v.forEach(b::tokenEndpointPath)),
            text("login-page", Builder::loginPage),
            text("register-page", Builder::registerPage),
            text("after-login-path", Builder::afterLoginPath),
            text("after-logout-path", Builder::afterLogoutPath),
            text("verification-sent-path", Builder::verificationSentPath),
            text("verify-email-page", Builder::verifyEmailPage),
            text("email-verified-path", Builder::emailVerifiedPath),
            text("forgot-password-page", Builder::forgotPasswordPage),
            text("reset-requested-path", Builder::resetRequestedPath),
            text("reset-password-page", Builder::resetPasswordPage),
            text("password-reset-path", Builder::passwordResetPath),
            text("email-change-page", Builder::emailChangePage),
            text("email-change-requested-path", Builder::emailChangeRequestedPath),
            text("confirm-email-page", Builder::confirmEmailPage),
            text("email-changed-path", Builder::emailChangedPath),
            text("cookie-name", Builder::cookieName),
            text("csrf-cookie-name", Builder::csrfCookieName),
            text("remember-me-cookie-name", Builder::rememberMeCookieName),
            param("secure-cookies", AuthConfig::cookieSecurity, Builder::cookieSecurity),
            text("cookie-path", Builder::cookiePath),
            param("csrf-secret", InitParamTable::base64, Builder::csrfSecret),
            param("allowed-origins", InitParamTable::items, (b, v) -> v.forEach(b::allowedOrigin)),
            param("csrf-origin-only-paths", InitParamTable::items, (b, v) -> v.forEach(b::csrfOriginOnlyPath)),
            param("trusted-proxies", InitParamTable::items, Builder::trustedProxies),
            text("client-address-header", Builder::clientAddressHeader),
            param("forwarded-proto", InitParamTable::bool, Builder::forwardedProto),
            param("hsts-max-age", InitParamTable::seconds, Builder::hstsMaxAge),
            param("hsts-include-subdomains", InitParamTable::bool, Builder::hstsIncludeSubDomains),
            param("max-form-bytes", InitParamTable::positiveLong, Builder::maxFormBytes),
            text("default-pages-path", Builder::defaultPagesAt));

    /**
     * Init-parameter names understood by the filter: those of {@link #fromInitParameters}, plus
     * {@code portcullis-attribute} (the {@code ServletContext} attribute holding the
     * {@code Portcullis}, read by the filter itself).
     */
    public static final Set<String> INIT_PARAMETERS = Set.copyOf(Stream.concat(Stream.of("portcullis-attribute"),
            INIT_PARAMS.names().stream()).toList());

    private final Protection protection;
    private final Pages pages;
    private final CookieSettings cookies;
    private final ClientAddressSettings clientAddresses;
    private final CsrfSettings csrf;
    private final ApiSettings api;
    private final HttpsSettings https;
    private final BodyLimits bodyLimits;
    /** Which of the pages the core's mails link to were set here explicitly. */
    private final Set<String> explicitLinkedPages;
    private final Optional<String> defaultPagesPath;

    private AuthConfig(Builder b) {
        this.protection = new Protection(b.rules, b.publicPaths);
        this.pages = new Pages(b.loginPage, b.registerPage, b.afterLoginPath, b.afterLogoutPath, b.verificationSentPath,
                b.verifyEmailPage, b.emailVerifiedPath, b.forgotPasswordPage, b.resetRequestedPath, b.resetPasswordPage,
                b.passwordResetPath, b.emailChangePage, b.emailChangeRequestedPath, b.confirmEmailPage, b.emailChangedPath);
        this.cookies = new CookieSettings(b.cookieName, b.csrfCookieName, b.rememberMeCookieName, b.cookieSecurity, b.cookiePath);
        this.clientAddresses = new ClientAddressSettings(b.trustedProxies, b.clientAddressHeader);
        this.csrf = new CsrfSettings(b.allowedOrigins, b.csrfOriginOnlyPaths, b.csrfSecret);
        this.api = new ApiSettings(b.apiPaths, b.tokenEndpointPaths, b.bearerAuthenticator);
        this.https = new HttpsSettings(b.forwardedProto, b.hstsMaxAge, b.hstsIncludeSubDomains);
        this.bodyLimits = new BodyLimits(b.maxFormBytes);
        this.explicitLinkedPages = Set.copyOf(b.explicitLinkedPages);
        this.defaultPagesPath = b.defaultPagesPath;
    }

    private AuthConfig(AuthConfig base, Pages pages) {
        this.protection = base.protection;
        this.pages = pages;
        this.cookies = base.cookies;
        this.clientAddresses = base.clientAddresses;
        this.csrf = base.csrf;
        this.api = base.api;
        this.https = base.https;
        this.bodyLimits = base.bodyLimits;
        this.explicitLinkedPages = base.explicitLinkedPages;
        this.defaultPagesPath = base.defaultPagesPath;
    }

    /**
     * The pages the core's mails link to ({@code AccountLinks}: login, verify email, forgot and
     * reset password, confirm email) have one source. A page left at its default here takes the
     * core's path; one set here must agree with it, or the filter refuses to start, naming both.
     */
    AuthConfig linkedTo(AccountLinks links) {
        Pages p = pages;
        String login = linked("loginPage", p.login(), links.loginPath());
        String verify = linked("verifyEmailPage", p.verifyEmail(), links.verifyEmailPath());
        String forgot = linked("forgotPasswordPage", p.forgotPassword(), links.forgotPasswordPath());
        String reset = linked("resetPasswordPage", p.resetPassword(), links.resetPasswordPath());
        String confirm = linked("confirmEmailPage", p.confirmEmail(), links.confirmEmailChangePath());
        return new AuthConfig(this, new Pages(login, p.register(), p.afterLogin(), p.afterLogout(), p.verificationSent(),
                verify, p.emailVerified(), forgot, p.resetRequested(), reset, p.passwordReset(), p.emailChange(),
                p.emailChangeRequested(), confirm, p.emailChanged()));
    }

    private String linked(String setting, String here, String core) {
        if (explicitLinkedPages.contains(setting) && !here.equals(core)) {
            throw new IllegalStateException("AuthConfig." + setting + " is " + here + " but the core's AccountLinks "
                    + "mail links point to " + core + ": set the path once, in AccountLinks (the filter then uses it)");
        }
        return core;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads settings from {@code web.xml}-style parameters ({@link #INIT_PARAMETERS}); a missing or
     * blank parameter keeps its default. Lists ({@code protect}, the paths, origins, proxies) are
     * separated by commas or new lines; a {@code protect} item is {@code PATTERN} or
     * {@code PATTERN ROLE}. {@code portcullis-attribute} is read by the filter, not here.
     *
     * @param parameter returns a parameter's value or {@code null}
     * @throws IllegalArgumentException naming the parameter whose value is unusable
     */
    public static AuthConfig fromInitParameters(Function<String, String> parameter) {
        Builder b = builder();
        INIT_PARAMS.read(parameter, b);
        return b.build();
    }

    /** The {@code secure-cookies} value; here rather than in {@link InitParamTable}, which knows no type of AuthConfig. */
    private static CookieSecurity cookieSecurity(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> CookieSecurity.AUTO;
            case "always" -> CookieSecurity.ALWAYS;
            default -> throw new IllegalArgumentException("use 'auto' or 'always', was: " + value);
        };
    }

    /** Which paths need a logged-in user (and which role). */
    public Protection protection() {
        return protection;
    }

    /** The application's pages and the after-flow redirect targets. */
    public Pages pages() {
        return pages;
    }

    public CookieSettings cookies() {
        return cookies;
    }

    public ClientAddressSettings clientAddresses() {
        return clientAddresses;
    }

    public CsrfSettings csrf() {
        return csrf;
    }

    public ApiSettings api() {
        return api;
    }

    public HttpsSettings https() {
        return https;
    }

    public BodyLimits bodyLimits() {
        return bodyLimits;
    }

    /**
     * Where {@link AuthEndpointsServlet} is mounted when it serves its own pages
     * ({@link Builder#defaultPagesAt}), e.g. {@code /auth}; empty when the application has its own.
     */
    public Optional<String> defaultPagesPath() {
        return defaultPagesPath;
    }

    /** Mutable, single use; each setter checks its argument at once. */
    public static final class Builder {
        private final List<ProtectionRule> rules = new ArrayList<>();
        private final List<String> publicPaths = new ArrayList<>();
        private final List<String> apiPaths = new ArrayList<>();
        private final List<String> tokenEndpointPaths = new ArrayList<>();
        private Optional<BearerAuthenticator> bearerAuthenticator = Optional.empty();
        private final Set<String> explicitLinkedPages = new java.util.HashSet<>();
        private String loginPage = "/login";
        private String registerPage = "/register";
        private String afterLoginPath = "/";
        private String afterLogoutPath = "/";
        private String verificationSentPath = "/login?verification-sent";
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
        private String cookieName = "portcullis_session";
        private String csrfCookieName = "portcullis_csrf";
        private String rememberMeCookieName = "portcullis_remember";
        private CookieSecurity cookieSecurity = CookieSecurity.AUTO;
        private Optional<String> cookiePath = Optional.empty();
        private Optional<byte[]> csrfSecret = Optional.empty();
        private final List<String> allowedOrigins = new ArrayList<>();
        private final List<String> csrfOriginOnlyPaths = new ArrayList<>();
        private List<String> trustedProxies = List.of();
        private Optional<String> clientAddressHeader = Optional.empty();
        private boolean forwardedProto = true;
        private Duration hstsMaxAge = Duration.ofDays(365);
        private boolean hstsIncludeSubDomains = true;
        private long maxFormBytes = 200_000;
        private Optional<String> defaultPagesPath = Optional.empty();
        /** The page settings given explicitly, which the default pages never replace. */
        private final Set<String> explicitPages = new java.util.HashSet<>();

        private Builder() {
        }

        // ---- protection ------------------------------------------------------------------------

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
            publicPaths.add(SettingChecks.pattern(pattern));
            return this;
        }

        // ---- API -------------------------------------------------------------------------------

        /** Requests under this pattern are API calls: they get 401 JSON, never a redirect. */
        public Builder apiPath(String pattern) {
            apiPaths.add(SettingChecks.pattern(pattern));
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
            tokenEndpointPaths.add(SettingChecks.pattern(pattern));
            return this;
        }

        /**
         * Resolves {@code Authorization: Bearer} tokens to users. Without one, bearer requests are
         * anonymous. Requests carrying a bearer header ignore the session and remember-me cookies
         * and never receive a cookie. Only a request whose token this authenticator accepted on a
         * declared {@link #apiPath} is exempt from the CSRF check: a bearer header the authenticator
         * refuses (junk, expired), or one on a path that is not an API path, switches nothing off.
         * So declare the API paths where clients send unsafe requests with bearer tokens.
         */
        public Builder bearerAuthenticator(BearerAuthenticator authenticator) {
            this.bearerAuthenticator = Optional.of(Objects.requireNonNull(authenticator, "bearerAuthenticator"));
            return this;
        }

        // ---- pages -----------------------------------------------------------------------------

        /** The app's login page (GET), target of the redirect for anonymous browsers; default {@code /login}. */
        public Builder loginPage(String path) {
            this.loginPage = page(path, "loginPage");
            explicitLinkedPages.add("loginPage");
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
         * and the answer must not reveal whether the address was taken, and where
         * {@code /resend-verification} goes; default {@code /login?verification-sent}.
         */
        public Builder verificationSentPath(String path) {
            this.verificationSentPath = page(path, "verificationSentPath");
            return this;
        }

        /** The app's page for verification links; failed {@code /verify-email} and {@code /resend-verification} forms are forwarded here. Default {@code /verify-email}. */
        public Builder verifyEmailPage(String path) {
            this.verifyEmailPage = page(path, "verifyEmailPage");
            explicitLinkedPages.add("verifyEmailPage");
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
            explicitLinkedPages.add("forgotPasswordPage");
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
            explicitLinkedPages.add("resetPasswordPage");
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
            explicitLinkedPages.add("confirmEmailPage");
            return this;
        }

        /** Where a confirmed email change goes (every session ended); default {@code /login?email-changed}. */
        public Builder emailChangedPath(String path) {
            this.emailChangedPath = page(path, "emailChangedPath");
            return this;
        }

        /**
         * Lets {@link AuthEndpointsServlet}, mounted at {@code endpointsPath} (e.g. {@code /auth}
         * for a mapping {@code /auth/*}), serve plain login, register, logout, forgot and reset
         * password, verify-email and confirm-email pages (GET) for an application that has none;
         * each can be replaced by the application's own template
         * ({@code /WEB-INF/portcullis/templates/<page>.mustache}). Every page setting not given
         * explicitly then points at them ({@code /auth/login}, {@code /auth/login?logged-out} …),
         * so failed form posts are shown again there, and everything below {@code endpointsPath}
         * is exempt from the protection rules (each endpoint checks what it needs itself). The
         * core's {@code AccountLinks} must use the same paths, or the filter refuses to start.
         * Default off.
         */
        public Builder defaultPagesAt(String endpointsPath) {
            Objects.requireNonNull(endpointsPath, "defaultPagesAt");
            if (!endpointsPath.startsWith("/") || endpointsPath.endsWith("/") || endpointsPath.contains("*")
                    || !SafeRedirects.isSafe(endpointsPath + "/login")) {
                throw new IllegalArgumentException("the endpoints path is a context-relative path like /auth (the servlet "
                        + "mapped at /auth/*), was: " + endpointsPath);
            }
            new PathPattern(endpointsPath + "/*"); // validates
            this.defaultPagesPath = Optional.of(endpointsPath);
            return this;
        }

        // ---- cookies ---------------------------------------------------------------------------

        /** Session cookie name, without the {@code __Host-} prefix; default {@code portcullis_session}. */
        public Builder cookieName(String name) {
            this.cookieName = SettingChecks.cookieName(name, "cookieName");
            return this;
        }

        /** CSRF cookie name, without the {@code __Host-} prefix; default {@code portcullis_csrf}. */
        public Builder csrfCookieName(String name) {
            this.csrfCookieName = SettingChecks.cookieName(name, "csrfCookieName");
            return this;
        }

        /**
         * Remember-me cookie name, without the {@code __Host-} prefix; default
         * {@code portcullis_remember}. The cookie is written by {@link WebAuth#rememberMe()} and read
         * by the filter when there is no valid session.
         */
        public Builder rememberMeCookieName(String name) {
            this.rememberMeCookieName = SettingChecks.cookieName(name, "rememberMeCookieName");
            return this;
        }

        /** Default {@link CookieSecurity#AUTO}. */
        public Builder cookieSecurity(CookieSecurity value) {
            this.cookieSecurity = Objects.requireNonNull(value, "cookieSecurity");
            return this;
        }

        /**
         * The {@code Path} of every cookie, e.g. {@code /} to share them across the host's
         * applications and keep the {@code __Host-} prefix under a context path. Default: the
         * context path.
         */
        public Builder cookiePath(String path) {
            this.cookiePath = Optional.of(SettingChecks.cookiePath(path));
            return this;
        }

        // ---- CSRF ------------------------------------------------------------------------------

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
         * An extra origin ({@code https://app.example.com}) accepted in the {@code Origin} header of
         * unsafe requests, for when a proxy changes the host the container sees. The request's own
         * origin is always accepted.
         */
        public Builder allowedOrigin(String origin) {
            allowedOrigins.add(SettingChecks.origin(origin));
            return this;
        }

        /**
         * For existing forms that cannot carry the CSRF token (an unmodified application's own
         * POST forms): on paths matching {@code pattern}, an unsafe request without a token is
         * accepted when the browser says it comes from this origin — {@code Origin} equal to the
         * request's own origin or an {@link #allowedOrigin}, or {@code Sec-Fetch-Site: same-origin}.
         * A request carrying neither header is refused (403) as before, saying why; a token, when
         * sent, is still checked. Every current browser sends {@code Origin} on a cross-origin form
         * post and {@code Sec-Fetch-Site} on every request, so this stops cross-site forms; what it
         * gives up is the defence in depth of the token: a same-origin page that an attacker can
         * script (XSS, an uploaded HTML file served from the app's origin), a sibling path sharing
         * the origin, or a client that strips both headers (a privacy proxy: its users get 403).
         * Default none: the token is required everywhere.
         */
        public Builder csrfOriginOnlyPath(String pattern) {
            csrfOriginOnlyPaths.add(SettingChecks.pattern(pattern));
            return this;
        }

        // ---- client addresses ------------------------------------------------------------------

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
            this.clientAddressHeader = Optional.of(SettingChecks.headerName(name, "clientAddressHeader"));
            return this;
        }

        /**
         * Whether {@code X-Forwarded-Proto} and {@code X-Forwarded-Port} from a
         * {@linkplain #trustedProxies trusted proxy} say how the client connected. Default on.
         */
        public Builder forwardedProto(boolean honour) {
            this.forwardedProto = honour;
            return this;
        }

        /** {@code Strict-Transport-Security} max-age on HTTPS answers; {@link Duration#ZERO} turns HSTS off. Default 365 days. */
        public Builder hstsMaxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "hstsMaxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("hstsMaxAge must not be negative");
            }
            this.hstsMaxAge = maxAge;
            return this;
        }

        /** Whether HSTS covers subdomains too. Default on. */
        public Builder hstsIncludeSubDomains(boolean include) {
            this.hstsIncludeSubDomains = include;
            return this;
        }

        /**
         * The largest url-encoded form the filter reads to find the CSRF field (413 above it, before
         * reading). Default 200,000 bytes. The container's own limit must not be smaller.
         */
        public Builder maxFormBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxFormBytes must be positive");
            }
            this.maxFormBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalStateException when two cookies share a name, or a client-address header
         *                               is set without trusted proxies
         */
        public AuthConfig build() {
            defaultPagesPath.ifPresent(this::applyDefaultPages);
            return new AuthConfig(this);
        }

        private String page(String path, String name) {
            SettingChecks.page(path, name);
            explicitPages.add(name);
            return path;
        }

        /** Points every page not set explicitly at the default pages below {@code mount}. */
        private void applyDefaultPages(String mount) {
            loginPage = defaultPage("loginPage", loginPage, mount + "/login", true);
            registerPage = defaultPage("registerPage", registerPage, mount + "/register", false);
            afterLogoutPath = defaultPage("afterLogoutPath", afterLogoutPath, mount + "/login?logged-out", false);
            verificationSentPath = defaultPage("verificationSentPath", verificationSentPath, mount + "/login?verification-sent", false);
            verifyEmailPage = defaultPage("verifyEmailPage", verifyEmailPage, mount + "/verify-email", true);
            emailVerifiedPath = defaultPage("emailVerifiedPath", emailVerifiedPath, mount + "/login?email-verified", false);
            forgotPasswordPage = defaultPage("forgotPasswordPage", forgotPasswordPage, mount + "/forgot-password", true);
            resetRequestedPath = defaultPage("resetRequestedPath", resetRequestedPath, mount + "/login?reset-requested", false);
            resetPasswordPage = defaultPage("resetPasswordPage", resetPasswordPage, mount + "/reset-password", true);
            passwordResetPath = defaultPage("passwordResetPath", passwordResetPath, mount + "/login?password-reset", false);
            confirmEmailPage = defaultPage("confirmEmailPage", confirmEmailPage, mount + "/confirm-email", true);
            emailChangedPath = defaultPage("emailChangedPath", emailChangedPath, mount + "/login?email-changed", false);
        }

        /**
         * A page the mails link to counts as set here, so that core {@code AccountLinks} pointing
         * elsewhere fail the start instead of mailing links to pages nobody serves.
         */
        private String defaultPage(String name, String current, String served, boolean linked) {
            if (explicitPages.contains(name)) {
                return current;
            }
            if (linked) {
                explicitLinkedPages.add(name);
            }
            return served;
        }
    }
}
