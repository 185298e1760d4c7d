package dev.portcullis.servlet.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** The wrapped examples app on embedded Tomcat 11, JSPs compiled by Jasper. */
class WrappedExamplesTomcatTest extends AbstractWrappedExamplesTest {

    private Tomcat tomcat;

    @Override
    void deploy(Path webapp, List<String> contextPaths, int port) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("portcullis-tomcat").toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getHost().setAutoDeploy(false);
        for (String path : contextPaths) {
            tomcat.addWebapp(path, webapp.toString());
        }
        tomcat.start();
    }

    @Override
    void undeploy(String contextPath) throws Exception {
        Context context = (Context) tomcat.getHost().findChild(contextPath);
        context.stop();
        tomcat.getHost().removeChild(context);
    }

    @Override
    void stopServer() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
