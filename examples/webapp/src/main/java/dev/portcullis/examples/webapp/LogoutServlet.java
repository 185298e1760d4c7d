package dev.portcullis.examples.webapp;

import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /logout} (CSRF-checked by the filter); a GET only shows a confirm button. */
final class LogoutServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    LogoutServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        render(response, 200, "logout", page(request, response));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        WebAuth.of(request, response).endSession();
        app.flash().set(request, response, "logged-out");
        redirect(request, response, "/");
    }
}
