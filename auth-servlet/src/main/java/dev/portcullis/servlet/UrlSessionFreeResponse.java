package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/** The response the application sees behind {@link AuthFilter}: it never writes session ids into URLs. */
final class UrlSessionFreeResponse extends HttpServletResponseWrapper {

    UrlSessionFreeResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public String encodeURL(String url) {
        return url;
    }

    @Override
    public String encodeRedirectURL(String url) {
        return url;
    }
}
