package dev.portcullis.servlet.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * The wrapped examples app on embedded Jetty 12 (ee10 web app). Jetty's own JSP module is not a
 * test dependency; its {@code jsp} servlet is pointed at Tomcat's Jasper by an override descriptor
 * (a deployment setting, the app is untouched).
 */
class WrappedExamplesJettyTest extends AbstractWrappedExamplesTest {

    private Server server;
    private final Map<String, WebAppContext> apps = new HashMap<>();

    @Override
    void deploy(Path webapp, List<String> contextPaths, int port) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        Path jsp = Files.createTempFile("portcullis-jetty-jsp", ".xml");
        Files.writeString(jsp, """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <servlet><servlet-name>jsp</servlet-name><servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
                    <load-on-startup>0</load-on-startup></servlet>
                </web-app>
                """);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (String path : contextPaths) {
            WebAppContext app = new WebAppContext(webapp.toString(), path);
            app.setParentLoaderPriority(true);
            app.addConfiguration(new AnnotationConfiguration());
            app.addOverrideDescriptor(jsp.toString());
            app.setAttribute("org.apache.tomcat.InstanceManager", new org.apache.tomcat.SimpleInstanceManager());
            contexts.addHandler(app);
            apps.put(path, app);
        }
        server.setHandler(contexts);
        server.start();
    }

    @Override
    void undeploy(String contextPath) throws Exception {
        WebAppContext app = apps.remove(contextPath);
        app.stop();
        ((ContextHandlerCollection) server.getHandler()).removeHandler(app);
    }

    @Override
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
