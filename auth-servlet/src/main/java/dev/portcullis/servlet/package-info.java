/**
 * Jakarta Servlet 6 adapter: {@link dev.portcullis.servlet.AuthFilter} (user resolution, the
 * container's security methods, protection rules, CSRF, path normalisation),
 * {@link dev.portcullis.servlet.AuthEndpointsServlet} (login, logout, registration for forms and
 * JSON), {@link dev.portcullis.servlet.SafeRedirects} and the request attributes in
 * {@link dev.portcullis.servlet.AuthAttributes}. Package-private types are implementation.
 */
package dev.portcullis.servlet;
