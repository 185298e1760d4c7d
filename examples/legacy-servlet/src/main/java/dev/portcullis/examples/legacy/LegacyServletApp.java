package dev.portcullis.examples.legacy;

import dev.portcullis.Portcullis;

import dev.portcullis.servlet.AuthFilter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * Runs the app on embedded Tomcat 11 exactly as a WAR would be deployed: the only wiring is
 * {@code src/main/webapp/WEB-INF/web.xml}.
 *
 * <pre>mvn -pl examples/legacy-servlet exec:java -Dexec.mainClass=dev.portcullis.examples.legacy.LegacyServletApp</pre>
 * or run {@link #main} from an IDE; then open http://localhost:8080/.
 */
public final class LegacyServletApp implements AutoCloseable {

    private final Tomcat tomcat;
    private final Context context;

    private LegacyServletApp(Tomcat tomcat, Context context) {
        this.tomcat = tomcat;
        this.context = context;
    }

    /**
     * Starts the app.
     *
     * @param port    0 for any free port
     * @param webapp  the directory holding {@code WEB-INF/web.xml}
     */
    public static LegacyServletApp start(int port, Path webapp) throws Exception {
        Path base = Files.createTempDirectory("legacy-servlet-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("localhost");
        tomcat.setPort(port);
        tomcat.getConnector(); // creates the HTTP connector
        tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP engine, no default servlet: the app declares what it needs
        Context context = tomcat.addWebapp("", webapp.toAbsolutePath().toString());
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            tomcat.destroy();
            throw e;
        }
        if (!context.getState().isAvailable()) {
            tomcat.stop();
            tomcat.destroy();
            throw new IllegalStateException("the web application failed to start; see the log above");
        }
        return new LegacyServletApp(tomcat, context);
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** The instance {@link PortcullisSetup} published (e.g. to grant roles from an admin tool). */
    public Portcullis portcullis() {
        return (Portcullis) context.getServletContext().getAttribute(AuthFilter.PORTCULLIS_ATTRIBUTE);
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    /** Finds the webapp directory whether started from the repository root or from this module. */
    static Path webappDirectory() {
        for (String candidate : new String[] {"src/main/webapp", "examples/legacy-servlet/src/main/webapp"}) {
            if (new File(candidate, "WEB-INF/web.xml").isFile()) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("run from the repository root or examples/legacy-servlet");
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        LegacyServletApp app = start(port, webappDirectory());
        System.out.println("Legacy servlet app on http://localhost:" + app.port() + "/ (Ctrl+C to stop)");
        app.tomcat.getServer().await();
    }
}
