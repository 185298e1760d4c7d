/**
 * Passkeys (WebAuthn): registration for a signed-in user, sign-in with a passkey alone or as the
 * second factor of a pending sign-in, and management. The cryptography is a port
 * ({@link dev.portcullis.spi.WebAuthnVerifier}, implemented by {@code auth-webauthn}); every decision —
 * challenges, origins, user verification, the signature counter, throttling — is made here.
 */
package dev.portcullis.passkey;
