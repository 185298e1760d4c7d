/**
 * Stateless token authentication: signed JWT access tokens with a rotating key set and JWKS,
 * rotating refresh tokens with reuse detection, and personal access tokens (API keys). Start at
 * {@link dev.portcullis.token.Tokens} and {@link dev.portcullis.token.ApiKeys}, configured by
 * {@link dev.portcullis.token.TokenSettings} through {@code Portcullis.builder().tokens(..)}.
 */
package dev.portcullis.token;
