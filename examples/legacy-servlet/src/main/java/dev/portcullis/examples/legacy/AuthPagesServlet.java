package dev.portcullis.examples.legacy;

import dev.portcullis.Portcullis;

import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.FormFailure;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The pages added for Portcullis: login, sign-up and log-out forms. They post to the ready-made
 * endpoints under {@code /auth/} and carry the CSRF token; when a post fails, the endpoint forwards
 * back here with a {@link FormFailure} to show.
 */
public class AuthPagesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ctx = request.getContextPath();
        String csrf = "<input type=\"hidden\" name=\"" + AuthAttributes.CSRF_FIELD + "\" value=\""
                + Html.escape(AuthAttributes.csrfToken(request).orElse("")) + "\">";
        Optional<FormFailure> failure = AuthAttributes.formFailure(request);
        String next = failure.map(f -> f.value("next")).orElseGet(() -> Optional.ofNullable(request.getParameter("next")).orElse(""));
        String email = failure.map(f -> f.value("email")).orElse("");
        String problem = failure.map(f -> "<p role=\"alert\" class=\"error\">" + Html.escape(f.message()) + "</p>").orElse("");
        switch (request.getServletPath()) {
            case "/login" -> Html.page(response, "Log in", problem
                    + "<form method=\"post\" action=\"" + ctx + "/auth/login\">" + csrf
                    + "<input type=\"hidden\" name=\"next\" value=\"" + Html.escape(next) + "\">"
                    + field("email", "Email", "email", email, failure) + field("password", "Password", "password", "", failure)
                    + "<button>Log in</button></form>");
            case "/register" -> Html.page(response, "Create an account", problem
                    + "<form method=\"post\" action=\"" + ctx + "/auth/register\">" + csrf
                    + "<input type=\"hidden\" name=\"next\" value=\"" + Html.escape(next) + "\">"
                    + field("email", "Email", "email", email, failure)
                    + field("password", "Password (15 characters or more)", "password", "", failure)
                    + field("confirmPassword", "Repeat password", "password", "", failure)
                    + "<button>Create account</button></form>");
            default -> Html.page(response, "Log out", "<form method=\"post\" action=\"" + ctx + "/auth/logout\">" + csrf
                    + "<button>Log out</button></form>");
        }
    }

    private static String field(String name, String label, String type, String value, Optional<FormFailure> failure) {
        List<String> errors = failure.map(f -> f.fields().messagesFor(name)).orElse(List.of());
        StringBuilder html = new StringBuilder("<p><label>" + Html.escape(label) + " <input name=\"" + name
                + "\" type=\"" + type + "\" value=\"" + Html.escape(value) + "\"></label>");
        errors.forEach(e -> html.append(" <span class=\"error\">").append(Html.escape(e)).append("</span>"));
        return html.append("</p>").toString();
    }
}
