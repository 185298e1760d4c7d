package dev.portcullis.servlet.bootstrap;

import dev.portcullis.servlet.AuthEndpointsServlet;
import dev.portcullis.servlet.AuthFilter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Protects a web app by configuration alone. The container runs it at deployment (it is listed in
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}); it does nothing unless
 * the app's {@code web.xml} declares a {@code portcullis.*} context-param — typically
 * {@value BootstrapKeys#CONFIG}, naming a properties file. Then it builds the stores (JDBC through
 * a container {@code DataSource} or a HikariCP pool, tables migrated at start unless turned off),
 * the mailer (SMTP, or the log in development), the {@code Portcullis} with the configured
 * policies and roles, and registers:
 *
 * <ul>
 *   <li>{@link AuthFilter} at {@code /*} for {@link AuthFilter#DISPATCHER_TYPES}, before every
 *       filter of the app's {@code web.xml};</li>
 *   <li>{@link AuthEndpointsServlet} at {@code /auth/*} ({@value BootstrapKeys#ENDPOINTS_PATH}),
 *       serving its default pages unless {@value BootstrapKeys#DEFAULT_PAGES} is false;</li>
 *   <li>the {@code Portcullis} as the {@code ServletContext} attribute
 *       {@value AuthFilter#PORTCULLIS_ATTRIBUTE}, for the app's own code.</li>
 * </ul>
 *
 * <p>On undeploy it closes the {@code Portcullis} and the pool. A missing, unknown or unusable
 * setting stops the deployment with a message that names the key (never a half-protected app).
 * Settings are listed in {@link BootstrapKeys}.
 */
public final class PortcullisInitializer implements ServletContainerInitializer {

    private static final System.Logger LOG = System.getLogger(PortcullisInitializer.class.getName());

    /** Called by the container (through {@code ServiceLoader}). */
    public PortcullisInitializer() {
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        Bootstrap.Built built;
        try {
            var settings = BootstrapSettings.read(context, System::getenv);
            if (settings.isEmpty()) {
                return;
            }
            built = Bootstrap.build(settings.get(), context.getContextPath());
        } catch (SettingException e) {
            // The message names the key; the cause (if any) is in the log, never in a response.
            LOG.log(System.Logger.Level.ERROR, "Portcullis: the web app '" + context.getContextPath() + "' is not started: "
                    + e.getMessage(), e.getCause());
            throw new ServletException("Portcullis configuration: " + e.getMessage());
        }
        try {
            register(context, built);
        } catch (RuntimeException e) {
            Bootstrap.closeQuietly(built.closeables());
            throw new ServletException("Portcullis: could not register its filter and servlet: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "Portcullis protects '" + context.getContextPath() + "'; its pages are at "
                + context.getContextPath() + built.endpointsPath() + "/");
    }

    private static void register(ServletContext context, Bootstrap.Built built) {
        context.setAttribute(AuthFilter.PORTCULLIS_ATTRIBUTE, built.portcullis());
        FilterRegistration.Dynamic filter = context.addFilter("portcullis", new AuthFilter(built.portcullis(), built.config()));
        if (filter == null) {
            throw new IllegalStateException("the web app already has a filter named 'portcullis'");
        }
        filter.setAsyncSupported(true);
        // isMatchAfter=false: in front of the filters web.xml declares, so they see the user.
        filter.addMappingForUrlPatterns(EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES), false, "/*");
        ServletRegistration.Dynamic servlet = context.addServlet("portcullis-endpoints", new AuthEndpointsServlet());
        if (servlet == null) {
            throw new IllegalStateException("the web app already has a servlet named 'portcullis-endpoints'");
        }
        Set<String> conflicts = servlet.addMapping(built.endpointsPath() + "/*");
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException("the app already maps " + conflicts + "; choose another "
                    + BootstrapKeys.ENDPOINTS_PATH);
        }
        context.addListener(new Closer(built));
    }

    /** Closes what the bootstrap opened when the app is undeployed. */
    private record Closer(Bootstrap.Built built) implements ServletContextListener {
        @Override
        public void contextDestroyed(ServletContextEvent event) {
            event.getServletContext().removeAttribute(AuthFilter.PORTCULLIS_ATTRIBUTE);
            Bootstrap.closeQuietly(built.closeables());
        }
    }
}
