package dev.portcullis.examples.webapp;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code TRACE} (and Microsoft's {@code TRACK}) with 405 before anything else sees the
 * request: the servlet default echoes the request headers, the HttpOnly session cookie included,
 * for any script that can send one (issue 12, item 6). The filter refuses it too; this covers
 * every path, also those outside the filter.
 */
final class RefuseTrace extends Handler.Wrapper {

    static final String ALLOWED = "GET, HEAD, POST, DELETE, OPTIONS";

    RefuseTrace(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (method.equalsIgnoreCase("TRACE") || method.equalsIgnoreCase("TRACK")) {
            response.getHeaders().put(HttpHeader.ALLOW, ALLOWED);
            Response.writeError(request, response, callback, 405);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
