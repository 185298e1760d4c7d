package dev.portcullis.oidc;

import dev.portcullis.servlet.AuthFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The OIDC flow on embedded Jetty 12 (ee10). */
class OidcFlowJettyTest extends AbstractOidcFlowTest {

    private Server jetty;

    @Override
    int startApp(Filter filter, Map<String, HttpServlet> servlets) throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));
        servlets.forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
        jetty.setHandler(context);
        jetty.start();
        return connector.getLocalPort();
    }

    @Override
    void stopApp() throws Exception {
        jetty.stop();
    }
}
