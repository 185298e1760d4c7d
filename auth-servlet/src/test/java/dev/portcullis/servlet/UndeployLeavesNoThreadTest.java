package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.Registration;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/**
 * Deploy, sign in (so the hashing and native threads start), undeploy: the threads Portcullis
 * started are gone, and no live thread keeps the web application's class loader as its context
 * loader, which is what Tomcat's leak detection reports on undeploy.
 */
class UndeployLeavesNoThreadTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";

    /** What an application's initializer does: builds Portcullis on start, closes it on stop. */
    public static final class Bootstrap implements ServletContainerInitializer, ServletContextListener {
        private Portcullis portcullis;

        @Override
        public void onStartup(java.util.Set<Class<?>> classes, jakarta.servlet.ServletContext context) {
            portcullis = Portcullis.builder()
                    .stores(Stores.of(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore()))
                    .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                    .build();
            portcullis.accounts().register(new Registration("u@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "t");
            context.setAttribute(AuthFilter.PORTCULLIS_ATTRIBUTE, portcullis);
            context.addFilter("portcullis", new AuthFilter(portcullis, TestApp.config().build()))
                    .addMappingForUrlPatterns(java.util.EnumSet.copyOf(AuthFilter.DISPATCHER_TYPES), false, "/*");
            context.addListener(this);
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            portcullis.close();
        }
    }

    @Test
    void portcullisCloseEndsEveryThreadItStartedAndPinsNoWebappLoader() throws Exception {
        Path base = Files.createTempDirectory("portcullis-undeploy");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("/wrapped", Files.createDirectories(base.resolve("docs")).toString());
        context.addServletContainerInitializer(new Bootstrap(), null);
        Tomcat.addServlet(context, "login", new TestApp.FormPage("/auth/login"));
        context.addServletMappingDecoded("/login", "login");
        Tomcat.addServlet(context, "auth", new AuthEndpointsServlet());
        context.addServletMappingDecoded("/auth/*", "auth");
        // Other tests in this JVM leave their own instances' threads; only this deployment's count.
        java.util.Set<Thread> before = ours();
        tomcat.start();
        try {
            Browser b = new Browser(tomcat.getConnector().getLocalPort());
            String token = b.csrfFrom("/wrapped/login");
            Browser.Response r = b.postForm("/wrapped/auth/login", Map.of("email", "u@example.com", "password", PASSWORD,
                    "csrf_token", token));
            assertThat(r.status()).as(r.body()).isEqualTo(303);
            assertThat(started(before)).anySatisfy(n -> assertThat(n).startsWith("portcullis-hashing-"));
            ClassLoader webapp = context.getLoader().getClassLoader();

            tomcat.getHost().removeChild(context); // undeploy: contextDestroyed closes Portcullis

            assertThat(started(before)).as("threads this deployment's Portcullis started").isEmpty();
            List<String> pinning = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getContextClassLoader() == webapp).map(Thread::getName).toList();
            assertThat(pinning).as("threads Tomcat would report as leaked").isEmpty();
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static java.util.Set<Thread> ours() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("portcullis-"))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static List<String> started(java.util.Set<Thread> before) {
        return ours().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList();
    }
}
