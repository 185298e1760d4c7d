/**
 * Ready-made servlet endpoints for OpenID Connect sign-in, behind auth-servlet's {@code AuthFilter}:
 * {@link dev.portcullis.oidc.servlet.OidcServlet}. Needs auth-servlet and the Servlet API.
 */
package dev.portcullis.oidc.servlet;
