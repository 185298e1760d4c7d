package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CookiesTest {

    private final Cookies cookies = new Cookies(new AuthConfig.CookieSettings("portcullis_session", "portcullis_csrf",
            "portcullis_remember", AuthConfig.CookieSecurity.AUTO, Optional.empty()));

    @Test
    void jarForWhenRequestsAlternateBetweenSchemesAndContextsThenEachGetsItsOwnNamesAndAttributes() {
        // The last jar is reused when nothing that shapes it changed: a plain request must never get
        // a Secure or __Host- jar, nor one context the other's path.
        record Case(boolean secure, String context, String session, String attributes) {
        }
        Case[] cases = {
            new Case(true, "", "__Host-portcullis_session", "; Path=/; HttpOnly; SameSite=Lax; Secure"),
            new Case(false, "", "portcullis_session", "; Path=/; HttpOnly; SameSite=Lax"),
            new Case(false, "", "portcullis_session", "; Path=/; HttpOnly; SameSite=Lax"),
            new Case(true, "/shop", "__Secure-portcullis_session", "; Path=/shop; HttpOnly; SameSite=Lax; Secure"),
            new Case(true, "", "__Host-portcullis_session", "; Path=/; HttpOnly; SameSite=Lax; Secure"),
            new Case(false, "/shop", "portcullis_session", "; Path=/shop; HttpOnly; SameSite=Lax"),
            new Case(true, "/shop", "__Secure-portcullis_session", "; Path=/shop; HttpOnly; SameSite=Lax; Secure"),
        };
        for (Case c : cases) {
            Cookies.Jar jar = cookies.jarFor(request(c.secure(), c.context()));
            assertThat(jar.sessionName()).as("%s", c).isEqualTo(c.session());
            assertThat(jar.csrfName()).as("%s", c).isEqualTo(c.session().replace("session", "csrf"));
            assertThat(jar.attributes()).as("%s", c).isEqualTo(c.attributes());
        }
    }

    private static HttpServletRequest request(boolean secure, String contextPath) {
        return (HttpServletRequest) Proxy.newProxyInstance(CookiesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isSecure" -> secure;
                    case "getContextPath" -> contextPath;
                    case "getServletContext" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
