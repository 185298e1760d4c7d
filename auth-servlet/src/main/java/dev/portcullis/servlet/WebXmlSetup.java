package dev.portcullis.servlet;

import dev.portcullis.Portcullis;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@link AuthFilter} declared in {@code web.xml}: the {@link Portcullis} from a
 * {@code ServletContext} attribute, the settings from init-params; unknown init-params fail the
 * start, so a typo cannot silently leave a path unprotected.
 */
final class WebXmlSetup {

    private WebXmlSetup() {
    }

    static AuthRuntime runtime(FilterConfig filterConfig) throws ServletException {
        List<String> unknown = new ArrayList<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            if (!AuthConfig.INIT_PARAMETERS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ServletException("AuthFilter: unknown init-param(s) " + unknown + "; known: " + AuthConfig.INIT_PARAMETERS);
        }
        String attribute = Optional.ofNullable(filterConfig.getInitParameter("portcullis-attribute"))
                .filter(s -> !s.isBlank()).map(String::strip).orElse(AuthFilter.PORTCULLIS_ATTRIBUTE);
        Object found = filterConfig.getServletContext().getAttribute(attribute);
        if (!(found instanceof Portcullis portcullis)) {
            throw new ServletException("AuthFilter: no Portcullis in ServletContext attribute '" + attribute
                    + "'. Build one in a ServletContextListener (listed in web.xml) and call "
                    + "servletContext.setAttribute(\"" + attribute + "\", portcullis).");
        }
        try {
            return new AuthRuntime(portcullis, AuthConfig.fromInitParameters(filterConfig::getInitParameter));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException("AuthFilter: " + e.getMessage(), e);
        }
    }
}
