package dev.portcullis.examples.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Administration, for users in role {@code admin} (enforced by the protection rule in web.xml). */
public class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Html.page(response, "Admin", "<p>Administration for " + Html.escape(request.getRemoteUser())
                + " (admin=" + request.isUserInRole("admin") + ").</p>");
    }
}
