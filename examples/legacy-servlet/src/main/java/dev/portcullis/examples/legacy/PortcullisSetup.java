package dev.portcullis.examples.legacy;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.servlet.AuthFilter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Builds the {@link Portcullis} for this app and publishes it where {@link AuthFilter} looks for
 * it. Listed in web.xml; the container runs listeners before it starts filters. In-memory stores
 * keep the example self-contained: accounts vanish on restart (use auth-jdbc for real data).
 */
public class PortcullisSetup implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Portcullis portcullis = Portcullis.builder()
                .stores(Stores.of(new InMemoryUserStore(), new InMemorySessionStore(), new InMemoryAttemptStore()))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .serviceName("Legacy Reports")
                .build();
        event.getServletContext().setAttribute(AuthFilter.PORTCULLIS_ATTRIBUTE, portcullis);
    }
}
