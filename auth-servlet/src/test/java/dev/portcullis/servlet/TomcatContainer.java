package dev.portcullis.servlet;

import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 11 serving test deployments on a free port of 127.0.0.1. */
final class TomcatContainer {

    private Tomcat tomcat;

    int start(List<TestApp.Deployment> deployments) throws Exception {
        Path base = Files.createTempDirectory("portcullis-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        for (TestApp.Deployment d : deployments) {
            Path docBase = Files.createDirectories(base.resolve("docs" + d.contextPath().replace('/', '_')));
            Context context = tomcat.addContext(d.contextPath(), docBase.toString());
            context.addServletContainerInitializer(d.initializer(), null);
            FilterDef def = new FilterDef();
            def.setFilterName("portcullis");
            def.setFilter(d.filter());
            def.setAsyncSupported("true");
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("portcullis");
            map.addURLPattern("/*");
            for (DispatcherType type : AuthFilter.DISPATCHER_TYPES) {
                map.setDispatcher(type.name());
            }
            context.addFilterMap(map);
            int[] n = {0};
            d.servlets().forEach((mapping, servlet) -> {
                String name = "servlet" + n[0]++;
                Tomcat.addServlet(context, name, servlet);
                context.addServletMappingDecoded(mapping, name);
            });
        }
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
