package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /csrf}: the CSRF token for scripts, with the header and field names that carry it. */
final class CsrfEndpoint {

    private CsrfEndpoint() {
    }

    static void handle(EndpointCall c) throws IOException {
        ResponseWriter.write(c.response(), HttpServletResponse.SC_OK, ResponseWriter.JSON, Json.write(Json.object()
                .put("csrfToken", WebAuth.csrfToken(c.auth()))
                .put("headerName", AuthAttributes.CSRF_HEADER)
                .put("fieldName", AuthAttributes.CSRF_FIELD)));
    }
}
