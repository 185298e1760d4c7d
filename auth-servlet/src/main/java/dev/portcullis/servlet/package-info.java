/**
 * Jakarta Servlet 6 adapter: {@link dev.portcullis.servlet.AuthFilter} (user resolution from the
 * session cookie, remember-me cookie or bearer token; the container's security methods,
 * protection rules, CSRF, path normalisation), {@link dev.portcullis.servlet.WebAuth} (the
 * per-request API for an application's own login, logout and remember-me handling),
 * {@link dev.portcullis.servlet.ResultResponses} (the one mapping from the core's results to HTTP
 * statuses, codes, sentences and {@code Retry-After}, as {@link dev.portcullis.servlet.Answer}s, for
 * the endpoints and for an application's own servlets),
 * {@link dev.portcullis.servlet.AuthEndpointsServlet} (login, logout, registration and the mail
 * flows for forms and JSON), {@link dev.portcullis.servlet.TokenEndpointsServlet},
 * {@link dev.portcullis.servlet.JwksServlet} and {@link dev.portcullis.servlet.TokenBearerAuthenticator}
 * (stateless API tokens), {@link dev.portcullis.servlet.SafeRedirects} and the request attributes
 * in {@link dev.portcullis.servlet.AuthAttributes}. Package-private types are implementation: the
 * filter orchestrates {@code RequestResolver}, {@code CsrfGuard} and {@code AccessPolicy}; the
 * endpoints servlet routes to one small class per endpoint; every call into the core goes through
 * {@code CoreCalls}.
 */
package dev.portcullis.servlet;
