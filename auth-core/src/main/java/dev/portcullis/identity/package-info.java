/**
 * Sign-in with external identities (OpenID Connect providers): {@link dev.portcullis.identity.Identities}
 * decides when a verified identity signs in, creates an account, must first be linked by the
 * account's owner, or may be unlinked. The protocol itself (discovery, the authorization code flow,
 * ID-token validation) lives in the {@code auth-oidc} module, which hands this package an identity
 * it has verified.
 */
package dev.portcullis.identity;
