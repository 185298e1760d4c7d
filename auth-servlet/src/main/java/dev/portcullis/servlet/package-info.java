/**
 * Jakarta Servlet 6 adapter: {@link dev.portcullis.servlet.AuthFilter} (user resolution from the
 * session cookie, remember-me cookie or bearer token; the container's security methods,
 * protection rules, CSRF, path normalisation), {@link dev.portcullis.servlet.WebAuth} (the
 * per-request API for an application's own login, logout and remember-me handling),
 * {@link dev.portcullis.servlet.AuthEndpointsServlet} (login, logout, registration and the mail
 * flows for forms and JSON), {@link dev.portcullis.servlet.TokenEndpointsServlet},
 * {@link dev.portcullis.servlet.JwksServlet} and {@link dev.portcullis.servlet.TokenBearerAuthenticator}
 * (stateless API tokens), {@link dev.portcullis.servlet.SafeRedirects} and the request attributes
 * in {@link dev.portcullis.servlet.AuthAttributes}. Package-private types are implementation.
 */
package dev.portcullis.servlet;
