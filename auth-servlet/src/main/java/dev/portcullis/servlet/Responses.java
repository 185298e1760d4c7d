package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Writes the bodies, refusals, challenges and redirects the filter and the endpoints answer with. */
final class Responses {

    static final String SESSION_CHALLENGE = "Session realm=\"portcullis\"";
    static final String BEARER_CHALLENGE = "Bearer realm=\"portcullis\", error=\"invalid_token\"";

    private Responses() {
    }

    /** A refusal: JSON in the one error shape, or the sentence as plain text. */
    static void refuse(HttpServletResponse response, boolean json, Answer answer) throws IOException {
        if (json) {
            answer.writeJson(response);
        } else {
            answer.applyHeaders(response);
            ResponseWriter.write(response, answer.status(), ResponseWriter.TEXT, answer.message() + "\n");
        }
    }

    /**
     * Anonymous on a protected path: 401 JSON with {@code WWW-Authenticate} for API clients, a 302
     * to the login page with {@code next} for browsers.
     */
    static void challenge(HttpServletRequest request, HttpServletResponse response, String loginPage, String path,
                          boolean json, boolean bearer) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (json) {
            response.setHeader("WWW-Authenticate", bearer ? BEARER_CHALLENGE : SESSION_CHALLENGE);
            Answer answer = ResultResponses.unauthenticated();
            ResponseWriter.write(response, answer.status(), ResponseWriter.JSON,
                    Json.write(answer.jsonBody().put("login", request.getContextPath() + loginPage)));
            return;
        }
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", request.getContextPath() + loginPage + (loginPage.contains("?") ? "&" : "?")
                + "next=" + URLEncoder.encode(nextFor(request, path), StandardCharsets.UTF_8));
    }

    /** 303 See Other to a context-relative target that is already known to be safe. */
    static void seeOther(HttpServletRequest request, HttpServletResponse response, String safeTarget) {
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + safeTarget);
    }

    /** The context-relative path and query of the request, as sent (still percent-encoded). */
    private static String nextFor(HttpServletRequest request, String path) {
        String uri = request.getRequestURI();
        String ctx = request.getContextPath();
        String raw = uri != null && uri.startsWith(ctx) ? uri.substring(ctx.length()) : path;
        if (raw == null || raw.isEmpty()) {
            raw = "/";
        }
        String query = request.getQueryString();
        return query == null ? raw : raw + "?" + query;
    }
}
