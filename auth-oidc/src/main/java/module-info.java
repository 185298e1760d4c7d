/**
 * Sign-in with OpenID Connect providers on the Nimbus OAuth 2.0 / OpenID Connect SDK: provider
 * configuration with discovery ({@code dev.portcullis.oidc}) and ready-made servlet endpoints
 * ({@code dev.portcullis.oidc.servlet}, which need auth-servlet and the Servlet API). The
 * decisions about accounts (create, link, refuse) are auth-core's {@code Identities}.
 */
module dev.portcullis.oidc {
    requires transitive dev.portcullis.core;
    requires oauth2.oidc.sdk;
    requires com.nimbusds.jose.jwt;
    requires static dev.portcullis.servlet;
    requires static jakarta.servlet;

    exports dev.portcullis.oidc;
    exports dev.portcullis.oidc.servlet;
}
