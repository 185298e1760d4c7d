package dev.portcullis.examples.legacy;

import dev.portcullis.Portcullis;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The app's home page. Written against the Servlet API only, as it was before Portcullis. */
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        String ctx = request.getContextPath();
        StringBuilder body = new StringBuilder();
        if (user == null) {
            body.append("<p>Welcome, guest. <a href=\"").append(ctx).append("/login\">Log in</a> or <a href=\"")
                    .append(ctx).append("/register\">create an account</a>.</p>");
        } else {
            body.append("<p>Welcome back, ").append(Html.escape(user)).append(".</p>")
                    .append("<p><a href=\"").append(ctx).append("/reports\">Reports</a> · <a href=\"")
                    .append(ctx).append("/admin\">Admin</a> · <a href=\"").append(ctx).append("/logout\">Log out</a></p>");
        }
        Html.page(response, "Home", body.toString());
    }
}
