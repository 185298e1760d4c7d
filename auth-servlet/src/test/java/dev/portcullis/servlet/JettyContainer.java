package dev.portcullis.servlet;

import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/** Embedded Jetty 12 (ee10) serving test deployments on a free port of 127.0.0.1. */
final class JettyContainer {

    private Server server;

    int start(List<TestApp.Deployment> deployments) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (TestApp.Deployment d : deployments) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath(d.contextPath());
            context.addServletContainerInitializer(d.initializer());
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

    void stop() throws Exception {
        server.stop();
    }
}
