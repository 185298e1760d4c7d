package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.spi.PortcullisException;
import dev.portcullis.servlet.Answer;
import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.ResultResponses;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared plumbing of the app's pages: the page model, rendering, redirects, faults. */
abstract class AppServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(AppServlet.class.getName());
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** Servlets are serialisable by contract; this app never serialises them. */
    protected final transient App app;

    AppServlet(App app) {
        this.app = app;
    }

    Portcullis portcullis() {
        return app.portcullis();
    }

    /** A store or mail fault becomes a 503 page; nothing else of it reaches the user. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        try {
            super.service(request, response);
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "request failed on a backend fault", e);
            if (!response.isCommitted()) {
                response.resetBuffer();
                error(request, response, 503, "Temporarily unavailable",
                        "We cannot reach our database right now. Please try again in a minute.");
            }
        }
    }

    /** The model every page starts from: the user, the CSRF token, a flash message. */
    Map<String, Object> page(HttpServletRequest request, HttpServletResponse response) {
        Map<String, Object> model = new HashMap<>();
        Optional<CurrentUser> user = AuthAttributes.currentUser(request);
        user.ifPresent(u -> {
            model.put("user", Map.of("email", u.email().display(), "verified", u.emailVerified(), "id", u.id().value()));
            model.put("unverified", !u.emailVerified() && app.mailEnabled());
        });
        model.put("csrf", AuthAttributes.csrfToken(request).orElse(""));
        app.flash().take(request, response).ifPresent(f -> model.put("flash", f));
        return model;
    }

    void render(HttpServletResponse response, int status, String template, Map<String, Object> model) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        app.pages().render(response, status, template, model);
    }

    void error(HttpServletRequest request, HttpServletResponse response, int status, String heading, String message)
            throws IOException {
        Map<String, Object> model = page(request, response);
        model.put("heading", heading);
        model.put("message", message);
        render(response, status, "error", model);
    }

    /** 303 See Other to a path inside the app: after a POST the browser GETs the target. */
    static void redirect(HttpServletRequest request, HttpServletResponse response, String path) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + path);
    }

    /**
     * A sensitive action answered "re-authentication required" (step-up): 303 to the
     * re-authentication page, which sends the user back to {@code next} (a path of this app).
     */
    static void reauthenticate(HttpServletRequest request, HttpServletResponse response, String next) {
        redirect(request, response, ReauthServlet.PATH + "?next=" + encode(next));
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A form field, never null; oversized values are cut (the core validates what remains). */
    static String param(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return "";
        }
        return value.length() > 20_000 ? value.substring(0, 20_000) : value;
    }

    static Map<String, List<String>> errors(FieldErrors errors) {
        return errors.byField();
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * A failed form post, told as the library tells it ({@link ResultResponses}): sets the status
     * and {@code Retry-After}, and returns the sentence for the top of the form — empty when the
     * answer has field messages, which the form shows next to each field instead.
     */
    static String failed(HttpServletResponse response, Answer answer) {
        answer.applyHeaders(response);
        return answer.fields().isEmpty() ? answer.message() : "";
    }
}
