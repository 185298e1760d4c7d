package dev.portcullis.servlet;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheResolver;
import dev.portcullis.model.CurrentUser;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plain pages {@link AuthEndpointsServlet} serves when {@link AuthConfig.Builder#defaultPagesAt}
 * is set: Mustache templates ({@code {{ }}} escapes HTML) from the classpath
 * ({@code dev/portcullis/servlet/pages/<name>.mustache}), each replaceable by the application's
 * {@value #OVERRIDE_DIR}{@code <name>.mustache} (partials {@code header} and {@code footer} too).
 * No inline script or style, so a strict Content-Security-Policy holds; one same-origin
 * stylesheet. Every action and link carries the context path. Thread-safe once built.
 */
final class DefaultPages {

    static final String OVERRIDE_DIR = "/WEB-INF/portcullis/templates/";
    static final String STYLESHEET = "/portcullis.css";
    private static final String BUILT_IN = "dev/portcullis/servlet/pages/";

    /** Pages by the endpoint path they are served at. */
    static final Set<String> PAGES = Set.of("/login", "/register", "/logout", "/forgot-password", "/reset-password",
            "/verify-email", "/confirm-email");

    /** Notices the after-flow redirects ask for with a query flag ({@code /auth/login?logged-out}). */
    private static final Map<String, String> NOTICES = Map.of(
            "logged-out", "You are logged out.",
            "verification-sent", "Check your inbox: we sent a link to confirm the address.",
            "email-verified", "Your email address is verified. You can log in.",
            "reset-requested", "If an account exists for that address, we sent it a link to reset the password.",
            "password-reset", "Your password was changed. Log in with the new one.",
            "email-changed", "Your email address was changed. Log in again.");

    private final Map<String, Mustache> templates = new HashMap<>();
    private final byte[] stylesheet;

    DefaultPages(ServletContext context) {
        DefaultMustacheFactory factory = new DefaultMustacheFactory(resolver(context));
        for (String page : PAGES) {
            templates.put(page, factory.compile(page.substring(1) + ".mustache"));
        }
        try (InputStream css = open(context, "portcullis.css")) {
            this.stylesheet = css.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MustacheResolver resolver(ServletContext context) {
        return name -> {
            InputStream in = open(context, name);
            return in == null ? null : new InputStreamReader(in, StandardCharsets.UTF_8);
        };
    }

    /** The application's template when it has one, else the built-in one (null when neither exists). */
    private static InputStream open(ServletContext context, String name) {
        if (name.contains("..") || name.startsWith("/")) {
            return null;
        }
        InputStream own = context.getResourceAsStream(OVERRIDE_DIR + name);
        if (own != null) {
            return own;
        }
        return DefaultPages.class.getClassLoader().getResourceAsStream(BUILT_IN + name);
    }

    void writeStylesheet(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/css;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(stylesheet.length);
        response.getOutputStream().write(stylesheet);
    }

    /**
     * Renders {@code page} (one of {@link #PAGES}) for a GET, or for a failed form post forwarded
     * here with a {@link FormFailure} (whose status is already set).
     */
    void render(String page, HttpServletRequest request, HttpServletResponse response, RequestAuth auth) throws IOException {
        Mustache template = templates.get(page);
        String base = request.getContextPath() + auth.runtime().config().defaultPagesPath().orElseThrow();
        Optional<FormFailure> failure = AuthAttributes.formFailure(request);
        Map<String, Object> model = new HashMap<>();
        model.put("base", base);
        model.put("stylesheet", base + STYLESHEET);
        model.put("home", request.getContextPath() + "/");
        model.put("csrfField", AuthAttributes.CSRF_FIELD);
        model.put("csrfToken", WebAuth.csrfToken(auth));
        model.put("mailEnabled", auth.runtime().core().mailEnabled());
        failure.ifPresent(f -> {
            model.put("error", f.message());
            model.put("emailError", String.join(" ", f.fields().messagesFor("email")));
            model.put("passwordError", String.join(" ", f.fields().messagesFor("password")));
            model.put("confirmError", String.join(" ", f.fields().messagesFor("confirmPassword")));
        });
        model.put("email", failure.map(f -> f.value("email")).orElse(""));
        String next = failure.map(f -> f.value("next")).orElseGet(() -> request.getParameter("next"));
        String safeNext = SafeRedirects.isSafe(next) ? next : "";
        model.put("next", safeNext);
        model.put("nextQuery", safeNext.isEmpty() ? "" : "?next=" + URLEncoder.encode(safeNext, StandardCharsets.UTF_8));
        String token = failure.map(f -> f.value("token")).filter(t -> !t.isEmpty()).orElseGet(() -> request.getParameter("token"));
        model.put("token", token == null ? "" : token);
        List<String> notices = new ArrayList<>();
        if (failure.isEmpty()) {
            NOTICES.forEach((flag, text) -> {
                if (request.getParameter(flag) != null) {
                    notices.add(text);
                }
            });
        }
        model.put("notice", String.join(" ", notices));
        // The code step of a sign-in: the password step sent the browser here with the flag, or the
        // code step's failure was forwarded here (sign_in_expired goes back to the password form).
        boolean fromCodeStep = "/login/mfa".equals(request.getAttribute(RequestDispatcher.FORWARD_PATH_INFO));
        boolean codeStep = page.equals("/login") && (failure.isEmpty()
                ? request.getParameter(SecondFactorEndpoints.CODE_STEP_FLAG) != null
                : fromCodeStep && !failure.get().error().equals("sign_in_expired"));
        model.put("codeStep", codeStep);
        failure.ifPresent(f -> model.put("codeError", String.join(" ", f.fields().messagesFor("code"))));
        Optional<CurrentUser> user = auth.user();
        model.put("loggedIn", user.isPresent());
        model.put("user", user.map(u -> u.email().display()).orElse(""));

        StringWriter out = new StringWriter();
        template.execute(out, model);
        byte[] html = out.toString().getBytes(StandardCharsets.UTF_8);
        if (failure.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_OK);
        }
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(html.length);
        response.getOutputStream().write(html);
    }
}
