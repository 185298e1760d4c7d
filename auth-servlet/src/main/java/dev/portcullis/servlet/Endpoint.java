package dev.portcullis.servlet;

import jakarta.servlet.ServletException;
import java.io.IOException;

/** One endpoint below {@link AuthEndpointsServlet}'s mount path; its router has checked method, body and mail. */
@FunctionalInterface
interface Endpoint {

    void handle(EndpointCall call) throws IOException, ServletException;
}
