package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /logout} (no fields): ends the session ({@link WebAuth#endSession}). */
final class LogoutEndpoint {

    private LogoutEndpoint() {
    }

    static void handle(EndpointCall c) throws IOException {
        WebAuth web = c.web();
        web.endSession();
        if (c.json()) {
            ResponseWriter.write(c.response(), HttpServletResponse.SC_OK, ResponseWriter.JSON,
                    Json.write(Json.object().put("status", "logged_out").put("csrfToken", web.csrfToken())));
        } else {
            c.seeOther(c.config().pages().afterLogout());
        }
    }
}
