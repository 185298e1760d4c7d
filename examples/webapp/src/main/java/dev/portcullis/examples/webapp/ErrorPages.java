package dev.portcullis.examples.webapp;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The app's own answer to every error the container produces itself: a request Jetty cannot parse,
 * a body that is too slow or too large, an exception that escaped a servlet (issue 12, item 12).
 * The answer is the app's error page, or JSON on API paths, with a fixed sentence per status; it
 * never shows Jetty's message, the exception, the servlet or the server's version. Two handlers
 * share it: {@link InServer} for errors before the servlet context is reached, {@link InContext}
 * for errors inside it.
 */
final class ErrorPages {

    /** What an error status is told as: the JSON {@code error} code, the page heading and the sentence. */
    record Sentence(String code, String heading, String message) {
    }

    private static final int BUFFER_SIZE = 16 * 1024;

    private final Pages pages;

    ErrorPages(Pages pages) {
        this.pages = pages;
    }

    static Sentence sentence(int status) {
        return switch (status) {
            case 400 -> new Sentence("invalid_request", "Bad request", "The request could not be understood.");
            case 404 -> new Sentence("not_found", "Not found", "There is no page at this address.");
            case 405 -> new Sentence("method_not_allowed", "Method not allowed", "This address does not accept that kind of request.");
            case 408 -> new Sentence("timeout", "Request timeout", "The request did not arrive in time. Please try again.");
            case 413 -> new Sentence("too_large", "Request too large", "The request is larger than this site accepts.");
            case 414 -> new Sentence("uri_too_long", "Address too long", "The address of the request is too long.");
            case 415 -> new Sentence("unsupported_media_type", "Unsupported content", "This address does not accept that kind of content.");
            case 431 -> new Sentence("headers_too_large", "Request headers too large", "The request headers are too large.");
            case 503 -> new Sentence("unavailable", "Temporarily unavailable", "The service is temporarily unavailable. Please try again in a minute.");
            default -> status >= 500
                    ? new Sentence("internal_error", "Something went wrong", "Something went wrong on our side. Please try again later.")
                    : new Sentence("invalid_request", "Request refused", "The request could not be processed.");
        };
    }

    /** JSON on API paths and for clients that ask for JSON first; the HTML page otherwise. */
    static boolean wantsJson(Request request) {
        HttpURI uri = request.getHttpURI();
        String path = uri == null || uri.getPath() == null ? "" : uri.getPath();
        if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/.well-known/")) {
            return true;
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        return accept != null && accept.strip().toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    String html(int status) {
        Sentence s = sentence(status);
        Map<String, Object> model = new HashMap<>();
        model.put("heading", s.heading());
        model.put("message", s.message());
        return pages.html("error", model);
    }

    static String json(int status) {
        Sentence s = sentence(status);
        // the sentences are fixed ASCII without quotes or backslashes: nothing to escape
        return "{\"error\":\"" + s.code() + "\",\"message\":\"" + s.message() + "\",\"fields\":{}}";
    }

    /** The headers of every page (the security headers filter does not see container errors). */
    static void headers(Response response) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(new HttpField("Content-Security-Policy", SecurityHeadersFilter.CSP));
        response.getHeaders().put(new HttpField("X-Content-Type-Options", "nosniff"));
        response.getHeaders().put(new HttpField("X-Frame-Options", "DENY"));
        response.getHeaders().put(new HttpField("Referrer-Policy", "same-origin"));
    }

    /** Errors Jetty answers before the servlet context: unparsable requests, refused bodies, TRACE. */
    static final class InServer extends ErrorHandler {
        private final ErrorPages pages;

        InServer(ErrorPages pages) {
            this.pages = pages;
            setBufferSize(BUFFER_SIZE);
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            headers(response);
            String type = wantsJson(request) ? "application/json" : "text/html";
            if (!generateAcceptableResponse(request, response, callback, type, List.of(StandardCharsets.UTF_8), code,
                    message, cause)) {
                callback.succeeded();
            }
        }

        @Override
        protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
                                      Throwable cause) throws IOException {
            writer.write(pages.html(code));
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(json(code));
        }

        @Override
        protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(sentence(code).message());
        }
    }

    /** Errors inside the servlet context: {@code sendError}, exceptions that escaped a servlet or filter. */
    static final class InContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        private final ErrorPages pages;

        InContext(ErrorPages pages) {
            this.pages = pages;
            setBufferSize(BUFFER_SIZE);
            setShowStacks(false);
            setShowCauses(false);
            setShowOrigin(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            headers(response);
            String type = wantsJson(request) ? "application/json" : "text/html";
            if (!generateAcceptableResponse(request, response, callback, type, List.of(StandardCharsets.UTF_8), code,
                    message, cause)) {
                callback.succeeded();
            }
        }

        @Override
        protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
                                      Throwable cause) throws IOException {
            writer.write(pages.html(code));
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(json(code));
        }

        @Override
        protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(sentence(code).message());
        }
    }
}
