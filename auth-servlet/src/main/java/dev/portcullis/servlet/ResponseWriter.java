package dev.portcullis.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes a whole response body; the one place that does, for {@link Responses} and {@link Answer}. */
final class ResponseWriter {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain";

    private ResponseWriter() {
    }

    /** Replaces whatever was buffered with {@code body}; does nothing once the response is committed. */
    static void write(HttpServletResponse response, int status, String contentType, String body) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(contentType + ";charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ServletOutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IllegalStateException writerInUse) {
            // The application already took the writer (e.g. an including servlet); our bodies are ASCII.
            response.getWriter().write(body);
            return;
        }
        response.setContentLength(bytes.length);
        out.write(bytes);
    }

}
