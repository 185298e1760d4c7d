/**
 * Stateless token authentication: signed JWT access tokens with a rotating key set and JWKS,
 * rotating refresh tokens with reuse detection, and personal access tokens (API keys). Start at
 * {@link dev.portcullis.token.Tokens}; wire it with {@link dev.portcullis.token.TokenStores}.
 */
package dev.portcullis.token;
