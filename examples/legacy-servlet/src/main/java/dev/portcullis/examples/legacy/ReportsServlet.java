package dev.portcullis.examples.legacy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A page that was always meant for logged-in users: it trusts {@code getRemoteUser()} and
 * {@code isUserInRole()}, which the container used to answer from its own realm.
 */
public class ReportsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        String body = "<p>Quarterly report prepared for " + Html.escape(user) + ".</p>"
                + "<p>Principal: " + Html.escape(request.getUserPrincipal().getName()) + "</p>"
                + "<p>Manager view: " + request.isUserInRole("manager") + "</p>";
        Html.page(response, "Reports", body);
    }
}
