package dev.portcullis.examples.webapp;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders pages from Mustache templates under {@code templates/} on the classpath. Every
 * {@code {{value}}} is HTML-escaped by Mustache, so user input cannot become markup; the templates
 * never use the unescaped {@code {{{triple}}}} form.
 */
final class Pages {

    private final MustacheFactory factory = new DefaultMustacheFactory("templates");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    void render(HttpServletResponse response, int status, String template, Map<String, Object> model) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        try (Writer out = response.getWriter()) {
            mustache(template).execute(out, model);
        }
    }

    /** The page as text, for answers written outside a servlet (the container's error pages). */
    String html(String template, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        mustache(template).execute(out, model);
        return out.toString();
    }

    private Mustache mustache(String template) {
        return compiled.computeIfAbsent(template, name -> factory.compile(name + ".mustache"));
    }
}
