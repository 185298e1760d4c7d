package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.oidc.OidcLogin;
import dev.portcullis.oidc.servlet.OidcServlet;
import dev.portcullis.servlet.AuthConfig;
import dev.portcullis.servlet.AuthFilter;
import dev.portcullis.servlet.BearerAuthenticator;
import dev.portcullis.servlet.JwksServlet;
import dev.portcullis.servlet.PasskeyEndpointsServlet;
import dev.portcullis.servlet.TokenEndpointsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The demo's HTTP side, given what {@link WebApp} wired: the Jetty server with the container's
 * limits, the security-headers and Portcullis filters, and every route (pages, the library's
 * endpoints, static files). Not started here.
 */
final class WebServer {

    /**
     * How long a connection may stay silent: a body that stops arriving, a keep-alive connection
     * between requests, a client that stops reading the answer. Jetty's default is 30 s; a stalled
     * body then ended in a 500 after 30 s (issue 12, item 12).
     */
    static final long IDLE_TIMEOUT_MILLIS = 5_000;
    /** The largest request body accepted; the app's forms and JSON requests are a few KiB at most. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** A body must arrive at least this fast, on average from its first byte (see {@link BufferedBodies}). */
    static final long MIN_BODY_BYTES_PER_SECOND = 256;
    /** Open connections per client address (browsers open at most 6 per host). */
    static final int MAX_CONNECTIONS_PER_CLIENT = 32;
    /** Open connections in all; beyond it Jetty stops accepting until some close, instead of running out of descriptors. */
    static final int MAX_CONNECTIONS = 2_000;

    private WebServer() {
    }

    /** The server of one node, with its connector on the configured address and port. */
    static Server create(AppSettings settings, App app, Portcullis portcullis, BearerAuthenticator bearer,
                         byte[] csrfSecret, Optional<OidcLogin> oidcLogin) {
        AppSettings.Deployment deployment = settings.deployment();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(deployment.bindAddress());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.addBean(new ConnectionsPerClient(MAX_CONNECTIONS_PER_CLIENT, deployment.trustedProxies()));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        ErrorPages errorPages = new ErrorPages(app.pages());
        server.setErrorHandler(new ErrorPages.InServer(errorPages));

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setErrorHandler(new ErrorPages.InContext(errorPages));

        AuthConfig config = authConfig(settings, bearer, csrfSecret);
        // Linking from the settings page posts a form that is answered with a redirect to the provider.
        List<String> providerOrigins = oidcLogin.map(l -> l.providers().stream()
                .map(p -> p.issuer().getScheme() + "://" + p.issuer().getRawAuthority()).distinct().toList()).orElse(List.of());
        // Async-supported filters, and the pages that check a password: a sign-in answered "busy" keeps
        // its connection for the Retry-After delay without a thread (WebAuth.holdIfBusy).
        FilterHolder headers = new FilterHolder(new SecurityHeadersFilter(providerOrigins));
        headers.setAsyncSupported(true);
        context.addFilter(headers, "/*", EnumSet.allOf(DispatcherType.class));
        FilterHolder authFilter = new FilterHolder(new AuthFilter(portcullis, config));
        authFilter.setAsyncSupported(true);
        context.addFilter(authFilter, "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));

        routes(context, app, portcullis, oidcLogin);
        server.setHandler(new RefuseTrace(new BufferedBodies(context, MAX_BODY_BYTES, MIN_BODY_BYTES_PER_SECOND)));
        return server;
    }

    /** What the filter protects, and the deployment's origins, proxies and cookie security. */
    private static AuthConfig authConfig(AppSettings settings, BearerAuthenticator bearer, byte[] csrfSecret) {
        AppSettings.Deployment deployment = settings.deployment();
        AuthConfig.Builder auth = AuthConfig.builder()
                .protect("/profile/*")
                .protect("/password")
                .protect("/email")
                .protect("/mfa")
                .protect("/mfa/*")
                .protect("/api/me")
                .protect("/reauth")
                .apiPath("/api/*")
                .publicPath("/api/tokens/*")
                .tokenEndpointPath("/api/tokens/*")
                .afterLogoutPath("/")
                .bearerAuthenticator(bearer)
                .allowedOrigin(settings.origin())
                .csrfSecret(csrfSecret); // the same on every node, so a form served by one posts to another
        deployment.allowedOrigins().forEach(auth::allowedOrigin);
        if (!deployment.trustedProxies().isEmpty()) {
            auth.trustedProxies(deployment.trustedProxies());
            deployment.clientAddressHeader().ifPresent(auth::clientAddressHeader);
        }
        if (deployment.secureCookies()) {
            auth.cookieSecurity(AuthConfig.CookieSecurity.ALWAYS);
        }
        return auth.build();
    }

    /** Every servlet and its paths: the app's pages, the library's endpoints, static files, and the home page at {@code /}. */
    private static void routes(ServletContextHandler context, App app, Portcullis portcullis, Optional<OidcLogin> oidcLogin) {
        Map<String, HttpServlet> pages = Map.of(
                "/register", new RegisterServlet(app),
                "/login", new LoginServlet(app),
                "/password", new PasswordServlet(app));
        pages.forEach((path, servlet) -> context.addServlet(holdingBusy(servlet), path));
        context.addServlet(new ServletHolder(new LogoutServlet(app)), "/logout");
        ServletHolder mail = holdingBusy(new AccountMailServlet(app));
        for (String path : new String[] {"/verify-email", "/resend-verification", "/forgot-password", "/reset-password",
                "/email", "/confirm-email"}) {
            context.addServlet(mail, path);
        }
        ServletHolder signInSteps = new ServletHolder(new SignInStepsServlet(app));
        for (String path : new String[] {SignInStepsServlet.CODE_PATH, SignInStepsServlet.ENROL_PATH}) {
            context.addServlet(signInSteps, path);
        }
        ServletHolder factors = new ServletHolder(new TwoFactorServlet(app));
        for (String path : new String[] {"/mfa/totp", "/mfa/totp/remove", "/mfa/recovery-codes"}) {
            context.addServlet(factors, path);
        }
        context.addServlet(holdingBusy(new ReauthServlet(app)), ReauthServlet.PATH);
        ServletHolder profile = new ServletHolder(new ProfileServlet(app));
        for (String path : new String[] {"/profile", "/profile/logout-others", "/profile/tokens", "/profile/tokens/revoke"}) {
            context.addServlet(profile, path);
        }
        // Passkeys: the library's JSON endpoints and script, the /mfa page and its rename/delete forms.
        context.addServlet(new ServletHolder(new PasskeyEndpointsServlet()), "/auth/passkeys/*");
        MfaServlet mfa = new MfaServlet(app);
        context.addServlet(new ServletHolder(mfa), "/mfa");
        context.addServlet(new ServletHolder(new PasskeysServlet(app, mfa)), "/mfa/passkeys/*");
        oidcLogin.ifPresent(login -> context.addServlet(new ServletHolder(
                new OidcServlet(login, portcullis.identities(), "/", "/profile")), "/auth/oidc/*"));
        context.addServlet(new ServletHolder(new ApiMeServlet()), "/api/me");
        context.addServlet(new ServletHolder(new TokenEndpointsServlet(app.tokens())), "/api/tokens/*");
        context.addServlet(new ServletHolder(new JwksServlet(app.tokens())), "/.well-known/jwks.json");

        ServletHolder statics = new ServletHolder("static", DefaultServlet.class);
        statics.setInitParameter("dirAllowed", "false");
        statics.setInitParameter("pathInfoOnly", "true");
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("static"));
        context.addServlet(statics, "/static/*");
        context.addServlet(new ServletHolder(new HomeServlet(app)), "/");
    }

    /** A page whose password check may be answered "busy", which it holds asynchronously. */
    private static ServletHolder holdingBusy(HttpServlet servlet) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        return holder;
    }
}
