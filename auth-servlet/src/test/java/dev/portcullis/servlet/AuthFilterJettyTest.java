package dev.portcullis.servlet;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/** The container tests on embedded Jetty 12 (ee10). */
class AuthFilterJettyTest extends AbstractAuthFilterContainerTest {

    private Server server;

    @Override
    protected int start(List<TestApp.Deployment> deployments) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (TestApp.Deployment d : deployments) {
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath(d.contextPath());
            FilterHolder filter = new FilterHolder(d.filter());
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES));
            d.servlets().forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
            contexts.addHandler(context);
        }
        server.setHandler((Handler) contexts);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    protected void stop() throws Exception {
        server.stop();
    }

    static EnumSet<DispatcherType> types() {
        return EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES);
    }
}
