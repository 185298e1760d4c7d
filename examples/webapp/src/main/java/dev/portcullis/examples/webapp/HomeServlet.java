package dev.portcullis.examples.webapp;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /}; as the default servlet it also answers every unknown path with a 404 page. */
final class HomeServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    HomeServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.equals("/") && !path.isEmpty()) {
            error(request, response, 404, "Not found", "There is no page at this address.");
            return;
        }
        render(response, 200, "index", page(request, response));
    }
}
