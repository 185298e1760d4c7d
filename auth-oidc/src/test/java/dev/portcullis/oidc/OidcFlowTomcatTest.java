package dev.portcullis.oidc;

import dev.portcullis.servlet.AuthFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The OIDC flow on embedded Tomcat 11. */
class OidcFlowTomcatTest extends AbstractOidcFlowTest {

    private Tomcat tomcat;

    @Override
    int startApp(Filter filter, Map<String, HttpServlet> servlets) throws Exception {
        Path base = Files.createTempDirectory("portcullis-oidc-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", Files.createDirectories(base.resolve("docs")).toString());
        FilterDef def = new FilterDef();
        def.setFilterName("portcullis");
        def.setFilter(filter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("portcullis");
        map.addURLPattern("/*");
        for (DispatcherType type : AuthFilter.DISPATCHER_TYPES) {
            map.setDispatcher(type.name());
        }
        context.addFilterMap(map);
        int[] n = {0};
        servlets.forEach((mapping, servlet) -> {
            String name = "servlet" + n[0]++;
            Tomcat.addServlet(context, name, servlet);
            context.addServletMappingDecoded(mapping, name);
        });
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    void stopApp() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
